"""The audit log: who did what to whom, why, and under which policy version."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, Select, String, Text, or_, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from community.core.models import CreatedAtMixin
from community.core.pagination import Page, paginate
from community.extensions import db

if TYPE_CHECKING:
    from community.members.models import Member


class AuditEntry(CreatedAtMixin, db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_label: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    policy_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Member | None] = relationship()


def record_audit(
    actor: Member | None,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    target_label: str = "",
    reason: str = "",
    policy_version: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to the current unit of work (it commits with the change it records).

    Bounded strings are cut to fit their columns: a label built from a 120-character name and a
    254-character email must not make PostgreSQL refuse the decision it records.
    """
    entry = AuditEntry(
        actor=actor,
        action=fit_column(AuditEntry.action, action),
        target_type=fit_column(AuditEntry.target_type, target_type),
        target_id=target_id,
        target_label=fit_column(AuditEntry.target_label, target_label),
        reason=reason,
        policy_version=policy_version,
        details=details,
    )
    db.session.add(entry)
    return entry


def fit_column(column: Any, value: str) -> str:
    """``value`` cut to the column's length, ending in an ellipsis when something was cut."""
    limit = column.type.length
    if limit is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "\u2026"


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""  # part of the actor's email or name
    target: str = ""  # part of the target's label
    since: date | None = None
    until: date | None = None


def _filtered(filters: AuditFilter) -> Select[tuple[AuditEntry]]:
    from community.members.models import Member

    query = select(AuditEntry).outerjoin(AuditEntry.actor)
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action))
    if filters.actor:
        like = f"%{filters.actor.lower()}%"
        query = query.where(or_(Member.email.ilike(like), Member.name.ilike(like)))
    if filters.target:
        query = query.where(AuditEntry.target_label.ilike(f"%{filters.target}%"))
    if filters.since:
        query = query.where(AuditEntry.created_at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until, time(), UTC) + timedelta(days=1)
        query = query.where(AuditEntry.created_at < end)
    return query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def list_audit_entries(filters: AuditFilter, page: int = 1, per_page: int = 50) -> Page[AuditEntry]:
    """One page of entries, newest first."""
    return paginate(_filtered(filters).options(joinedload(AuditEntry.actor)), page, per_page)


def iter_audit_entries(filters: AuditFilter) -> Iterator[AuditEntry]:
    query = _filtered(filters).options(joinedload(AuditEntry.actor))
    yield from db.session.scalars(query.execution_options(yield_per=500))


def list_audit_actions() -> list[str]:
    return list(
        db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )
