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
from sqlalchemy import delete, insert

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.metrics.conversations import (
    count_conversations,
    days_to_roll_again,
    store_conversations,
)
from community.metrics.day_queries import member_day_query, object_day_query
from community.metrics.live import MONTH_DAYS
from community.metrics.models import MemberDay, ObjectDay
from community.metrics.post_rollups import count_posts, store_post_counts
from community.metrics.spans import refresh_spans, rollup_site_days

ROLLUP_EVERY_SECONDS = 600


def rollup_day(day: date) -> None:
    """Recompute one UTC day's rollup rows from its events, then the council's figures of the
    days whose week or month it is part of, which are counted from those rows. Two units of
    work, each reading before it writes, so neither holds SQLite's write lock (which the web
    worker's writes wait for) while it counts; each is recomputed whole, so a run that stops
    between them is finished by the next."""
    _rollup_events(day)
    commit()
    rollup_site_days(day, min(day + timedelta(days=MONTH_DAYS - 1), utcnow().date()))
    commit()


def _rollup_events(day: date) -> None:
    """Replace the day's rows counted from events and posts (the caller commits); counted
    first, then written, so the write lock is held for the writes alone."""
    members = db.session.execute(member_day_query(day)).all()
    objects = db.session.execute(object_day_query(day)).all()
    posts = count_posts(day)
    conversations = count_conversations(day)
    db.session.execute(delete(MemberDay).where(MemberDay.day == day))
    db.session.execute(delete(ObjectDay).where(ObjectDay.day == day))
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
    store_post_counts(posts)
    store_conversations(conversations)


def _rollup_conversations(day: date) -> None:
    """A day's posters, reactions and first replies alone, in their own unit of work: for the
    days whose events are pruned, or that a late change un-marked."""
    store_conversations(count_conversations(day))
    commit()


def oldest_rebuildable_day() -> date:
    """Before this day the events have been pruned: rebuilding would erase the rollup."""
    return utcnow().date() - timedelta(days=current_app.config["METRICS_RETENTION_DAYS"])


def days_to_rebuild(since: date) -> list[date]:
    today = utcnow().date()
    first = max(since, oldest_rebuildable_day())
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def rebuild_rollups(days: list[date], since: date | None = None) -> Iterator[date]:
    """Recompute each day in turn, yielding it once done (the CLI draws its progress bar),
    then the council's days from ``since`` (pruned days included: they are counted from the
    member rollups, which are kept), the posters and first replies of the pruned days (the
    posts are kept) and the spans the dashboard reads."""
    for day in days:
        _rollup_events(day)
        commit()
        yield day
    today = utcnow().date()
    first = min([since or today, *days])
    pruned = first
    while pruned < min([today, *days]):
        _rollup_conversations(pruned)
        pruned += timedelta(days=1)
    rollup_site_days(first, today)
    commit()
    refresh_spans(today)
    commit()


def rollup_recent() -> None:
    """The job: yesterday (its last events arrived after midnight's run) and today so far,
    and the posters and reactions of any older day that a late change un-marked."""
    today = utcnow().date()
    for day in (today - timedelta(days=1), today):
        rollup_day(day)
    for day in days_to_roll_again():
        _rollup_conversations(day)
    refresh_spans(today)
    commit()
