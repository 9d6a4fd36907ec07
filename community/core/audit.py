"""The audit log: who did what to whom, why, and under which policy version.

Every domain records here; the owners read it in ``admin/audit_log.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import CreatedAtMixin
from community.extensions import Model, db

if TYPE_CHECKING:
    from community.members.models import Member


class AuditEntry(CreatedAtMixin, Model):
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
