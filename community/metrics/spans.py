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
    days ending on it. The caller commits."""
    db.session.execute(delete(SiteDay).where(SiteDay.day.between(first, last)))
    db.session.execute(delete(MemberSpan).where(MemberSpan.first <= last, MemberSpan.last >= first))
    db.session.execute(delete(ObjectSpan).where(ObjectSpan.first <= last, ObjectSpan.last >= first))
    day = first
    while day <= last:
        figures = site_figures(day)
        if figures.members_month:
            db.session.execute(insert(SiteDay).values(**vars(figures)))
        day += timedelta(days=1)


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
    longer wanted (the caller commits). Returns how many member spans were computed."""
    wanted = wanted_spans(today)
    _refresh_object_spans(wanted)
    stored = set(db.session.execute(select(MemberSpan.first, MemberSpan.last).distinct()).all())
    unwanted = {tuple(span) for span in stored} - wanted
    if unwanted:
        db.session.execute(
            delete(MemberSpan).where(tuple_(MemberSpan.first, MemberSpan.last).in_(unwanted))
        )
    missing = sorted(wanted - {tuple(span) for span in stored})
    for first, last in missing:
        rows = db.session.execute(span_sums(first, last)).all()
        if rows:
            db.session.execute(
                insert(MemberSpan),
                [
                    {
                        "first": first,
                        "last": last,
                        "member_id": member_id,
                        "views": views,
                        "threads": threads,
                        "replies": replies,
                        "reactions": reactions,
                    }
                    for member_id, views, threads, replies, reactions in rows
                ],
            )
    return len(missing)


def _refresh_object_spans(wanted: set[tuple[date, date]]) -> None:
    """``refresh_spans`` for the objects' sums (``ObjectSpan``)."""
    stored = {
        tuple(span)
        for span in db.session.execute(select(ObjectSpan.first, ObjectSpan.last).distinct())
    }
    if stored - wanted:
        db.session.execute(
            delete(ObjectSpan).where(tuple_(ObjectSpan.first, ObjectSpan.last).in_(stored - wanted))
        )
    for first, last in sorted(wanted - stored):
        rows = db.session.execute(object_span_sums(first, last)).all()
        if rows:
            db.session.execute(
                insert(ObjectSpan),
                [
                    {
                        "first": first,
                        "last": last,
                        "object_type": object_type,
                        "object_id": object_id,
                        "views": views,
                        "downloads": downloads,
                    }
                    for object_type, object_id, views, downloads in rows
                ],
            )
