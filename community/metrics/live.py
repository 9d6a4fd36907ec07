"""The rollups as the reports read them: finished days from the rollup tables, today counted
live from its events, so that the dashboard never lags the ten minutes between rollup runs.

Both helpers return a subquery with the rollup table's columns; a report selects from it as
it would from the table. Today's part is one aggregate over one day's events (an index on
``day``), so the cost stays that of a rollup run, whatever the period.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, Subquery, select, union_all
from sqlalchemy.orm import InstrumentedAttribute

from community.core.clock import utcnow
from community.metrics.models import MemberDay, ObjectDay
from community.metrics.rollups import member_day_query, object_day_query

# Where "since the beginning" starts (a member's first contribution, for example).
BEGINNING = date(2000, 1, 1)


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
