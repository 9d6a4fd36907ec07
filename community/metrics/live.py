"""The rollups as the reports read them: finished days from the rollup tables, today counted
live from its events, so that the dashboard never lags the ten minutes between rollup runs.

Both helpers return a subquery with the rollup table's columns; a report selects from it as
it would from the table. Today's part is one aggregate over one day's events (an index on
``day``), so the cost stays that of a rollup run, whatever the period.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Subquery, select, union_all

from community.core.clock import utcnow
from community.metrics.models import MemberDay, ObjectDay
from community.metrics.rollups import member_day_query, object_day_query

# Where "since the beginning" starts (a member's first contribution, for example).
BEGINNING = date(2000, 1, 1)


def member_days(first: date, last: date) -> Subquery:
    """``MemberDay`` rows for the days ``first`` to ``last``, today's live."""
    today = utcnow().date()
    rolled = select(
        MemberDay.day,
        MemberDay.member_id,
        MemberDay.views,
        MemberDay.threads,
        MemberDay.replies,
        MemberDay.reactions,
    ).where(MemberDay.day.between(first, min(last, today - timedelta(days=1))))
    if not first <= today <= last:
        return rolled.subquery("member_days")
    return union_all(rolled, member_day_query(today)).subquery("member_days")


def object_days(first: date, last: date) -> Subquery:
    """``ObjectDay`` rows for the days ``first`` to ``last``, today's live."""
    today = utcnow().date()
    rolled = select(
        ObjectDay.day,
        ObjectDay.object_type,
        ObjectDay.object_id,
        ObjectDay.views,
        ObjectDay.downloads,
    ).where(ObjectDay.day.between(first, min(last, today - timedelta(days=1))))
    if not first <= today <= last:
        return rolled.subquery("object_days")
    return union_all(rolled, object_day_query(today)).subquery("object_days")
