"""Daily rollups: one row per member per day and per object per day, computed from the
activity events and rebuilt from them at will (``community metrics rollup --since DATE``).

A day's rollup is always recomputed whole (delete, then insert from that day's events), so
running it twice, or in two processes at once, gives the same rows. The job refreshes
yesterday and today; days older than the events' retention period are never rebuilt, since
their events are gone and the rollup is all that is left of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Select, case, delete, func, insert, select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.metrics.models import MemberDay, MetricEvent, ObjectDay
from community.metrics.post_rollups import rollup_posts

ROLLUP_EVERY_SECONDS = 600


def _count(action: str) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((MetricEvent.action == action, 1), else_=0)), 0)


def member_day_query(day: date) -> Select[date, int | None, int, int, int, int]:
    """One day's ``MemberDay`` rows, counted from its events."""
    return (
        select(
            MetricEvent.day,
            MetricEvent.member_id,
            _count("view"),
            _count("post"),
            _count("reply"),
            _count("react"),
        )
        .where(MetricEvent.day == day, MetricEvent.member_id.is_not(None))
        .group_by(MetricEvent.day, MetricEvent.member_id)
    )


def object_day_query(day: date) -> Select[date, str, int, int, int]:
    """One day's ``ObjectDay`` rows, counted from its events."""
    return (
        select(
            MetricEvent.day,
            MetricEvent.object_type,
            MetricEvent.object_id,
            _count("view"),
            _count("download"),
        )
        .where(MetricEvent.day == day, MetricEvent.action.in_(("view", "download")))
        .group_by(MetricEvent.day, MetricEvent.object_type, MetricEvent.object_id)
    )


def rollup_day(day: date) -> None:
    """Recompute one UTC day's rollup rows from its events, in one unit of work."""
    db.session.execute(delete(MemberDay).where(MemberDay.day == day))
    db.session.execute(delete(ObjectDay).where(ObjectDay.day == day))
    members = db.session.execute(member_day_query(day)).all()
    if members:
        db.session.execute(
            insert(MemberDay),
            [
                {
                    "day": day,
                    "member_id": member_id,
                    "views": views,
                    "threads": threads,
                    "replies": replies,
                    "reactions": reactions,
                }
                for _day, member_id, views, threads, replies, reactions in members
            ],
        )
    objects = db.session.execute(object_day_query(day)).all()
    if objects:
        db.session.execute(
            insert(ObjectDay),
            [
                {
                    "day": day,
                    "object_type": object_type,
                    "object_id": object_id,
                    "views": views,
                    "downloads": downloads,
                }
                for _day, object_type, object_id, views, downloads in objects
            ],
        )
    rollup_posts(day)
    commit()


def oldest_rebuildable_day() -> date:
    """Before this day the events have been pruned: rebuilding would erase the rollup."""
    return utcnow().date() - timedelta(days=current_app.config["METRICS_RETENTION_DAYS"])


def days_to_rebuild(since: date) -> list[date]:
    today = utcnow().date()
    first = max(since, oldest_rebuildable_day())
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def rebuild_rollups(days: list[date]) -> Iterator[date]:
    """Recompute each day in turn, yielding it once done (the CLI draws its progress bar)."""
    for day in days:
        rollup_day(day)
        yield day


def rollup_recent() -> None:
    """The job: yesterday (its last events arrived after midnight's run) and today so far."""
    today = utcnow().date()
    for day in (today - timedelta(days=1), today):
        rollup_day(day)
