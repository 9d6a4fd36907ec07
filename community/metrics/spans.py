"""What the rollup job computes ahead for the dashboard, beyond one row per member per day:
the whole council's day (``SiteDay``), each member's sums over the spans of days the
dashboard asks for most (``MemberSpan``) and each object's over the same spans
(``ObjectSpan``). All are derived from the ``MemberDay`` and ``ObjectDay`` rollups only, so
they are rebuilt whenever those are, even for days whose events were pruned.

A day's week and month figures read the 30 days up to it, so rolling up a day recomputes the
council's next 30 days too.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, insert, select, tuple_

from community.extensions import db
from community.metrics.live import object_span_sums, site_figures, span_sums
from community.metrics.models import MemberSpan, ObjectSpan, SiteDay
from community.metrics.periods import PRESETS

RETENTION_MONTHS = 12  # the retention cohorts' months


def rollup_site_days(first: date, last: date) -> None:
    """Replace the ``SiteDay`` rows of ``first`` to ``last``, oldest first, and drop the
    member spans that hold any of those days (their sums may have changed; the next
    ``refresh_spans`` computes them again). A day gets a row while anybody came in the 30
    days ending on it. The caller commits; every day is counted before the first write."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    counted = [figures for figures in map(site_figures, days) if figures.members_month]
    db.session.execute(delete(SiteDay).where(SiteDay.day.between(first, last)))
    db.session.execute(delete(MemberSpan).where(MemberSpan.first <= last, MemberSpan.last >= first))
    db.session.execute(delete(ObjectSpan).where(ObjectSpan.first <= last, ObjectSpan.last >= first))
    for figures in counted:
        db.session.execute(insert(SiteDay).values(**vars(figures)))


def month_starts(last_day: date, months: int = RETENTION_MONTHS) -> list[date]:
    """The first days of the ``months`` months ending with ``last_day``'s, oldest first."""
    year, month = last_day.year, last_day.month
    firsts = []
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def wanted_spans(today: date) -> set[tuple[date, date]]:
    """Each preset period and the one before it, and each month of the retention table, as
    the finished days they hold on ``today``."""
    yesterday = today - timedelta(days=1)
    spans = set()
    for days in PRESETS:
        start = today - timedelta(days=days - 1)
        spans.add((start, yesterday))
        spans.add((start - timedelta(days=days), start - timedelta(days=1)))
    starts = month_starts(today)
    for n, first in enumerate(starts):
        last = starts[n + 1] - timedelta(days=1) if n + 1 < len(starts) else yesterday
        spans.add((first, last))
    return {(first, last) for first, last in spans if first <= last}


def refresh_spans(today: date) -> int:
    """Compute the wanted member and object spans that are missing and drop the ones no
    longer wanted (the caller commits). Returns how many member spans were computed. Every
    sum is read before the first write, so SQLite's write lock is held for the writes alone."""
    wanted = wanted_spans(today)
    stored = _stored_spans(MemberSpan)
    stored_objects = _stored_spans(ObjectSpan)
    missing = sorted(wanted - stored)
    member_rows = [
        {
            "first": first,
            "last": last,
            "member_id": member_id,
            "views": views,
            "threads": threads,
            "replies": replies,
            "reactions": reactions,
        }
        for first, last in missing
        for member_id, views, threads, replies, reactions in db.session.execute(
            span_sums(first, last)
        )
    ]
    object_rows = [
        {
            "first": first,
            "last": last,
            "object_type": object_type,
            "object_id": object_id,
            "views": views,
            "downloads": downloads,
        }
        for first, last in sorted(wanted - stored_objects)
        for object_type, object_id, views, downloads in db.session.execute(
            object_span_sums(first, last)
        )
    ]
    for model, unwanted, rows in (
        (ObjectSpan, stored_objects - wanted, object_rows),
        (MemberSpan, stored - wanted, member_rows),
    ):
        if unwanted:
            db.session.execute(delete(model).where(tuple_(model.first, model.last).in_(unwanted)))
        if rows:
            db.session.execute(insert(model), rows)
    return len(missing)


def _stored_spans(model: type[MemberSpan] | type[ObjectSpan]) -> set[tuple[date, date]]:
    return {
        (first, last)
        for first, last in db.session.execute(select(model.first, model.last).distinct())
    }
