"""Activity events as the metrics buffer's flush writes them, for the reports' tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from community.core.clock import utcnow
from community.extensions import db
from community.members.models import Member
from community.metrics.models import MetricEvent


def add_metric_event(
    member: Member,
    action: str = "visit",
    object_type: str = "site",
    object_id: int = 0,
    day: date | None = None,
    **details: Any,
) -> MetricEvent:
    """One event row (today's unless ``day``), added to the session; the caller commits."""
    event = MetricEvent(
        member_id=member.id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        day=day or utcnow().date(),
        created_at=utcnow(),
        **details,
    )
    db.session.add(event)
    return event
