"""Library and events: what members read, download and finish, and how they answer events.

Unique readers cannot be added up day by day, so the library reports count the period's raw
resource events in one aggregate query each (the events are kept for the retention period,
longer than any period the dashboard offers). Readers and RSVP answers are counts of
members, so they go through the privacy floor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Row, Select, case, func, select

from community.core.clock import utcnow
from community.events.models import Answer, Event, Rsvp
from community.extensions import db
from community.library.models import Kind, Resource
from community.metrics.live import object_days
from community.metrics.models import MetricEvent
from community.metrics.periods import Period
from community.metrics.report_types import (
    PRIVACY_FLOOR,
    Figure,
    Report,
    day_bounds,
    floored,
    iso,
)

TOP_RESOURCES = 25
TOP_EVENTS = 25
FLOOR_NOTE = f"Counts of fewer than {PRIVACY_FLOOR} members show “<5”."


def _count(action: str) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((MetricEvent.action == action, 1), else_=0)), 0)


def _readers() -> ColumnElement[int]:
    return func.count(
        func.distinct(case((MetricEvent.action == "view", MetricEvent.member_id), else_=None))
    )


def _resource_events(period: Period) -> Select[str, int, int, int, int]:
    return (
        select(Resource.kind, _count("view"), _readers(), _count("download"), _count("complete"))
        .join(Resource, Resource.id == MetricEvent.object_id)
        .where(
            MetricEvent.object_type == "resource",
            MetricEvent.action.in_(("view", "download", "complete")),
            MetricEvent.day.between(period.start, period.end),
        )
    )


def library(period: Period) -> Report:
    rows: Sequence[Row[str, int, int, int, int, int, str]] = db.session.execute(
        _resource_events(period)
        .add_columns(Resource.id, Resource.title)
        .group_by(Resource.id, Resource.kind, Resource.title)
        .order_by(_count("view").desc(), _count("download").desc(), Resource.id)
        .limit(TOP_RESOURCES)
    ).all()
    table: list[list[object]] = [
        [id_, Kind(kind).label, title, views, floored(readers), downloads, completions]
        for kind, views, readers, downloads, completions, id_, title in rows
    ]
    return Report(
        key="library",
        title="Library",
        columns=["id", "kind", "title", "views", "readers", "downloads", "completions"],
        rows=table,
        definition=f"The {TOP_RESOURCES} most viewed resources of the period: views (each "
        "member once a day), distinct members who opened it (readers), downloads of its "
        "attachment, and members who marked it complete. " + FLOOR_NOTE,
        empty="Nobody opened the library in this period.",
    )


def _kind_totals(period: Period) -> dict[str, tuple[int, int, int, int]]:
    return {
        kind: (views, readers, downloads, completions)
        for kind, views, readers, downloads, completions in db.session.execute(
            _resource_events(period).group_by(Resource.kind)
        )
    }


def library_kinds(period: Period) -> Report:
    now, before = _kind_totals(period), _kind_totals(period.previous)
    table: list[list[object]] = [
        [Kind(kind).label, views, floored(readers), downloads, completions]
        for kind, (views, readers, downloads, completions) in sorted(
            now.items(), key=lambda item: (-item[1][0], item[0])
        )
    ]
    readers_now = db.session.scalar(_all_readers(period))
    readers_before = db.session.scalar(_all_readers(period.previous))
    return Report(
        key="library-kinds",
        title="Library by kind",
        columns=["kind", "views", "readers", "downloads", "completions"],
        rows=table,
        definition="The same counts for each kind of resource (article, white paper, ...); "
        "a member who opened two articles is one reader of articles. " + FLOOR_NOTE,
        figures=[
            Figure(
                "Library readers",
                readers_now,
                readers_before,
                "Distinct members who opened at least one resource in the period.",
            ),
            Figure(
                "Completions",
                sum(counts[3] for counts in now.values()),
                sum(counts[3] for counts in before.values()),
                "Resources marked complete by a member in the period.",
            ),
        ],
        empty="Nobody opened the library in this period.",
    )


def _all_readers(period: Period) -> Select[int]:
    return select(func.count(func.distinct(MetricEvent.member_id))).where(
        MetricEvent.object_type == "resource",
        MetricEvent.action == "view",
        MetricEvent.day.between(period.start, period.end),
    )


def _answers(answer: Answer) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((Rsvp.answer == answer.value, 1), else_=0)), 0)


def _rsvps_made(period: Period) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                MetricEvent.action == "rsvp", MetricEvent.day.between(period.start, period.end)
            )
        )
        or 0
    )


def _attendance(period: Period) -> int:
    start, end = day_bounds(period)
    return (
        db.session.scalar(
            select(func.count(Rsvp.id))
            .join(Event, Rsvp.event_id == Event.id)
            .where(
                Event.starts_at >= start,
                Event.starts_at < min(end, utcnow()),
                Event.cancelled_at.is_(None),
                Rsvp.answer == Answer.GOING.value,
            )
        )
        or 0
    )


def events(period: Period) -> Report:
    start, end = day_bounds(period)
    days = object_days(period.start, period.end)
    views = (
        select(days.c.object_id, func.sum(days.c.views).label("views"))
        .where(days.c.object_type == "event")
        .group_by(days.c.object_id)
        .subquery()
    )
    rsvps = (
        select(MetricEvent.object_id, func.count().label("rsvps"))
        .where(
            MetricEvent.action == "rsvp",
            MetricEvent.object_type == "event",
            MetricEvent.day.between(period.start, period.end),
        )
        .group_by(MetricEvent.object_id)
        .subquery()
    )
    rows: Sequence[Row[int, str, datetime, int, int, int, int, int]] = db.session.execute(
        select(
            Event.id,
            Event.title,
            Event.starts_at,
            func.coalesce(views.c.views, 0),
            func.coalesce(rsvps.c.rsvps, 0),
            _answers(Answer.GOING),
            _answers(Answer.MAYBE),
            _answers(Answer.WAITING),
        )
        .outerjoin(views, views.c.object_id == Event.id)
        .outerjoin(rsvps, rsvps.c.object_id == Event.id)
        .outerjoin(Rsvp, Rsvp.event_id == Event.id)
        .where(Event.starts_at >= start, Event.starts_at < end, Event.cancelled_at.is_(None))
        .group_by(Event.id, Event.title, Event.starts_at, views.c.views, rsvps.c.rsvps)
        .order_by(Event.starts_at, Event.id)
        .limit(TOP_EVENTS)
    ).all()
    now = utcnow()
    table: list[list[object]] = [
        [
            id_,
            title,
            iso(starts_at.date()),
            page_views,
            answers,
            floored(going),
            floored(maybe),
            floored(waiting),
            floored(going) if starts_at <= now else "",
        ]
        for id_, title, starts_at, page_views, answers, going, maybe, waiting in rows
    ]
    return Report(
        key="events",
        title="Events",
        columns=["id", "title", "date", "views", "rsvps", "going", "maybe", "waiting", "attended"],
        rows=table,
        definition="Events taking place in the period (not cancelled): views of the event's "
        "page (each member once a day), RSVPs given in the period (each answer or change "
        "counts), the current answers, and attendance: the members going when it started "
        "(the council records no check-in). " + FLOOR_NOTE,
        figures=[
            Figure(
                "RSVPs",
                _rsvps_made(period),
                _rsvps_made(period.previous),
                "Answers given to events in the period (a changed answer counts again).",
            ),
            Figure(
                "Attendance",
                _attendance(period),
                _attendance(period.previous),
                "Members going to the period's events when they started, summed over events.",
            ),
        ],
        empty="No event takes place in this period.",
    )
