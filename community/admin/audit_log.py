"""Reading the audit log: the owners' filters, pages and CSV export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from community.core.audit import AuditEntry
from community.core.pagination import Page, paginate
from community.extensions import db
from community.members.models import Member


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""  # part of the actor's email or name
    target: str = ""  # part of the target's label
    since: date | None = None
    until: date | None = None


def _filtered(filters: AuditFilter) -> Select[AuditEntry]:
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
