"""One UTC day's rollup rows counted straight from its events: what the rollup job stores for
finished days, and what the reports read live for today."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, case, func, select

from community.metrics.models import MetricEvent


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
