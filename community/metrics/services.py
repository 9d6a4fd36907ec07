"""Recording engagement. Callers record inside their own unit of work (the row commits with
their write) or, for reads such as page views, through ``record_now`` which commits at once."""

from __future__ import annotations

from sqlalchemy import func, select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.members.models import Member
from community.metrics.models import MetricEvent


def record(
    member: Member | None,
    action: str,
    object_type: str,
    object_id: int,
    *,
    once_per_day: bool = False,
    detail: str = "",
    quantity: int | None = None,
) -> bool:
    """Add one event to the session; with ``once_per_day``, skip it if this member already did
    this action on this object today. Returns whether a row was added."""
    now = utcnow()
    member_id = member.id if member is not None else None
    if once_per_day and member_id is not None:
        seen = db.session.scalar(
            select(MetricEvent.id).where(
                MetricEvent.member_id == member_id,
                MetricEvent.action == action,
                MetricEvent.object_type == object_type,
                MetricEvent.object_id == object_id,
                MetricEvent.day == now.date(),
            )
        )
        if seen is not None:
            return False
    db.session.add(
        MetricEvent(
            member_id=member_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            day=now.date(),
            created_at=now,
            detail=detail[:200],
            quantity=quantity,
        )
    )
    return True


def record_now(
    member: Member | None, action: str, object_type: str, object_id: int, *, once_per_day: bool
) -> bool:
    """``record`` in a unit of work of its own, for actions that write nothing else (a view)."""
    added = record(member, action, object_type, object_id, once_per_day=once_per_day)
    if added:
        commit()
    return added


def record_search(member: Member, query: str, kind: str, result_count: int) -> None:
    """A search, for the owners' reports ("searches with no results"), in its own unit of
    work: searching writes nothing else."""
    record(member, "search", kind, 0, detail=query, quantity=result_count)
    commit()


def counts_for(object_type: str, object_id: int) -> dict[str, int]:
    """How many times each action was recorded on one object: {"view": 12, "download": 3}."""
    rows = db.session.execute(
        select(MetricEvent.action, func.count(MetricEvent.id))
        .where(MetricEvent.object_type == object_type, MetricEvent.object_id == object_id)
        .group_by(MetricEvent.action)
    )
    return {action: count for action, count in rows}
