"""The rollups as the reports read them: finished days from the rollup tables, today counted
live from its events, so that the dashboard never lags the ten minutes between rollup runs.

Each helper returns rows with the rollup table's columns; a report selects from them as it
would from the table. Today's part is one aggregate over one day's events (an index on
``day``), so the cost stays that of a rollup run, whatever the period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Row, Select, Subquery, case, exists, func, select, union_all
from sqlalchemy.orm import InstrumentedAttribute

from community.core.clock import utcnow
from community.extensions import db
from community.metrics.day_queries import member_day_query, object_day_query
from community.metrics.models import MemberDay, MemberSpan, ObjectDay, ObjectSpan, SiteDay

# Where "since the beginning" starts (a member's first contribution, for example).
BEGINNING = date(2000, 1, 1)
WEEK_DAYS = 7
MONTH_DAYS = 30


def member_days(first: date, last: date) -> Subquery:
    """``MemberDay`` rows for the days ``first`` to ``last``, today's live."""
    columns = (MemberDay.member_id, MemberDay.views, MemberDay.threads, MemberDay.replies)
    return _rolled_then_live(
        select(MemberDay.day, *columns, MemberDay.reactions),
        MemberDay.day,
        member_day_query,
        "member_days",
        first,
        last,
    )


def object_days(first: date, last: date) -> Subquery:
    """``ObjectDay`` rows for the days ``first`` to ``last``, today's live."""
    columns = (ObjectDay.object_type, ObjectDay.object_id, ObjectDay.views, ObjectDay.downloads)
    return _rolled_then_live(
        select(ObjectDay.day, *columns), ObjectDay.day, object_day_query, "object_days", first, last
    )


def _rolled_then_live(
    rolled: Select[*tuple[Any, ...]],
    day: InstrumentedAttribute[date],
    live_query: Callable[[date], Select[*tuple[Any, ...]]],
    name: str,
    first: date,
    last: date,
) -> Subquery:
    """Finished days from the rollup, and today (when in range) counted from its events."""
    today = utcnow().date()
    rolled = rolled.where(day.between(first, min(last, today - timedelta(days=1))))
    if not first <= today <= last:
        return rolled.subquery(name)
    return union_all(rolled, live_query(today)).subquery(name)


def span_sums(first: date, last: date) -> Select[int, int, int, int, int]:
    """Each member's sums over the finished days ``first`` to ``last``, from ``MemberDay``:
    what a ``MemberSpan`` stores, and what is read when no span was stored."""
    return (
        select(
            MemberDay.member_id,
            func.sum(MemberDay.views),
            func.sum(MemberDay.threads),
            func.sum(MemberDay.replies),
            func.sum(MemberDay.reactions),
        )
        .where(MemberDay.day.between(first, last))
        .group_by(MemberDay.member_id)
    )


def member_totals(first: date, last: date) -> Subquery:
    """One row per member who came between ``first`` and ``last``: member_id, views,
    threads, replies, reactions summed over those days. Finished days come from the stored
    span when the job has kept one (one row per member), otherwise from the daily rollup;
    today is added live."""
    today = utcnow().date()
    rolled_last = min(last, today - timedelta(days=1))
    parts: list[Select[*tuple[Any, ...]]] = []
    if first <= rolled_last:
        stored = MemberSpan.first == first, MemberSpan.last == rolled_last
        if db.session.scalar(select(exists().where(*stored))):
            parts.append(
                select(
                    MemberSpan.member_id,
                    MemberSpan.views,
                    MemberSpan.threads,
                    MemberSpan.replies,
                    MemberSpan.reactions,
                ).where(*stored)
            )
        else:
            parts.append(span_sums(first, rolled_last))
    if first <= today <= last:
        live = member_day_query(today).subquery()
        parts.append(select(*list(live.c)[1:]))
    if not parts:
        parts.append(span_sums(first, last))  # no day in range: an empty set of rows
    if len(parts) == 1:
        # Each part already has one row per member: grouping it again costs a sort of every
        # row (half the time of the retention table's twelve months).
        member_id, views, threads, replies, reactions = parts[0].subquery().c
        return select(
            member_id.label("member_id"),
            views.label("views"),
            threads.label("threads"),
            replies.label("replies"),
            reactions.label("reactions"),
        ).subquery("member_totals")
    member_id, views, threads, replies, reactions = union_all(*parts).subquery().c
    return (
        select(
            member_id.label("member_id"),
            func.sum(views).label("views"),
            func.sum(threads).label("threads"),
            func.sum(replies).label("replies"),
            func.sum(reactions).label("reactions"),
        )
        .group_by(member_id)
        .subquery("member_totals")
    )


def object_span_sums(first: date, last: date) -> Select[str, int, int, int]:
    """Each object's sums over the finished days ``first`` to ``last``, from ``ObjectDay``:
    what an ``ObjectSpan`` stores, and what is read when no span was stored."""
    return (
        select(
            ObjectDay.object_type,
            ObjectDay.object_id,
            func.sum(ObjectDay.views),
            func.sum(ObjectDay.downloads),
        )
        .where(ObjectDay.day.between(first, last))
        .group_by(ObjectDay.object_type, ObjectDay.object_id)
    )


def object_totals(first: date, last: date) -> Subquery:
    """One row per object viewed or downloaded between ``first`` and ``last``: object_type,
    object_id, views, downloads summed over those days. Finished days come from the stored
    span when the job has kept one, otherwise from the daily rollup; today is added live."""
    today = utcnow().date()
    rolled_last = min(last, today - timedelta(days=1))
    parts: list[Select[*tuple[Any, ...]]] = []
    if first <= rolled_last:
        stored = ObjectSpan.first == first, ObjectSpan.last == rolled_last
        if db.session.scalar(select(exists().where(*stored))):
            parts.append(
                select(
                    ObjectSpan.object_type,
                    ObjectSpan.object_id,
                    ObjectSpan.views,
                    ObjectSpan.downloads,
                ).where(*stored)
            )
        else:
            parts.append(object_span_sums(first, rolled_last))
    if first <= today <= last:
        live = object_day_query(today).subquery()
        parts.append(select(*list(live.c)[1:]))
    if not parts:
        parts.append(object_span_sums(first, last))  # no day in range: an empty set of rows
    if len(parts) == 1:  # already one row per object: no second grouping
        object_type, object_id, views, downloads = parts[0].subquery().c
        return select(
            object_type.label("object_type"),
            object_id.label("object_id"),
            views.label("views"),
            downloads.label("downloads"),
        ).subquery("object_totals")
    object_type, object_id, views, downloads = union_all(*parts).subquery().c
    return (
        select(
            object_type.label("object_type"),
            object_id.label("object_id"),
            func.sum(views).label("views"),
            func.sum(downloads).label("downloads"),
        )
        .group_by(object_type, object_id)
        .subquery("object_totals")
    )


@dataclass(frozen=True)
class SiteFigures:
    """A ``SiteDay`` row's figures."""

    day: date
    members: int
    members_week: int
    members_month: int
    threads: int
    replies: int
    posters: int

    @classmethod
    def from_row(cls, row: SiteDay) -> SiteFigures:
        return cls(
            row.day,
            row.members,
            row.members_week,
            row.members_month,
            row.threads,
            row.replies,
            row.posters,
        )


def _posting_counts(day: date) -> tuple[int, int, int, int]:
    """Members who came on ``day``, threads started, replies, and members who posted (today's
    counted live)."""
    rows = member_days(day, day)
    counts: Row[int, int, int, int] = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(rows.c.threads), 0),
            func.coalesce(func.sum(rows.c.replies), 0),
            func.coalesce(func.sum(case((rows.c.threads + rows.c.replies > 0, 1), else_=0)), 0),
        )
    ).one()
    members, threads, replies, posters = counts
    return members, int(threads), int(replies), int(posters)


def site_figures(day: date) -> SiteFigures:
    """The ``SiteDay`` figures of one day counted from the member rollups (today's live)."""
    members, threads, replies, posters = _posting_counts(day)
    rows = member_days(day - timedelta(days=MONTH_DAYS - 1), day)
    week_start = day - timedelta(days=WEEK_DAYS - 1)
    week, month = db.session.execute(
        select(
            func.count(func.distinct(case((rows.c.day >= week_start, rows.c.member_id)))),
            func.count(func.distinct(rows.c.member_id)),
        )
    ).one()
    return SiteFigures(day, members, week, month, threads, replies, posters)


def posting_days(first: date, last: date) -> dict[date, tuple[int, int, int]]:
    """(threads started, replies, members who posted) for the days ``first`` to ``last``
    that have any: ``site_days`` without today's members of the week and the month, a
    distinct count over 30 days of rows that participation never shows."""
    today = utcnow().date()
    result = {
        day: (threads, replies, posters)
        for day, threads, replies, posters in db.session.execute(
            select(SiteDay.day, SiteDay.threads, SiteDay.replies, SiteDay.posters).where(
                SiteDay.day.between(first, min(last, today - timedelta(days=1)))
            )
        )
    }
    if first <= today <= last:
        result[today] = _posting_counts(today)[1:]
    return result


def site_days(first: date, last: date) -> dict[date, SiteFigures]:
    """``SiteDay`` figures for the days ``first`` to ``last`` that have any (today's live)."""
    today = utcnow().date()
    result = {
        row.day: SiteFigures.from_row(row)
        for row in db.session.scalars(
            select(SiteDay).where(SiteDay.day.between(first, min(last, today - timedelta(days=1))))
        )
    }
    if first <= today <= last:
        result[today] = site_figures(today)
    return result
