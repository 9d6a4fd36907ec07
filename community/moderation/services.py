"""Moderators' powers over members: revoke, suspend, reinstate. Each is audit-logged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from community import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.domain_events import MemberChanged, MemberSignedOut
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.core.mail import send_email
from community.core.pagination import Page, paginate
from community.extensions import db
from community.members.models import Member, MemberStatus, Tier
from community.membership.services import get_current_policy


def list_members(
    tier: str = "", level: str = "", status: str = "", q: str = "", page: int = 1
) -> Page[Member]:
    query = select(Member).join(Member.tier).order_by(Member.name)
    if tier:
        query = query.where(Tier.slug == tier)
    if level:
        query = query.where(Member.level == level)
    if status:
        query = query.where(Member.status == status)
    if q:
        like = f"%{q.strip().lower()}%"
        query = query.where((Member.email.ilike(like)) | (Member.name.ilike(like)))
    return paginate(query, page, per_page=50)


def get_member(member_id: int) -> Member:
    member = db.session.get(Member, member_id)
    if member is None:
        raise NotFound("That member does not exist.")
    return member


def _check_can_act(actor: Member, member_id: int, reason: str) -> Member:
    member = get_member(member_id)
    if not access.can_act_on_member(actor, member):
        raise PermissionDenied("You cannot take this action on this member.")
    if not reason.strip():
        raise DomainError("Give the reason; it goes into the audit log.", field="reason")
    return member


def _audit(actor: Member, action: str, member: Member, reason: str, **details: str) -> None:
    record_audit(
        actor,
        action,
        "member",
        member.id,
        target_label=f"{member.name} <{member.email}>",
        reason=reason.strip(),
        policy_version=get_current_policy().version,
        **details,
    )


def revoke_member(actor: Member, member_id: int, reason: str, message: str = "") -> Member:
    """End a membership: signed out everywhere at once, cannot sign in, posts stay."""
    member = _check_can_act(actor, member_id, reason)
    if member.status == MemberStatus.REVOKED:
        raise DomainError("This membership is already revoked.")
    member.status = MemberStatus.REVOKED.value
    publish(MemberChanged(member_id=member.id))
    member.status_reason = reason.strip()
    member.suspended_until = None
    member.session_version += 1
    _audit(actor, "member.revoked", member, reason)
    send_email(
        member.email,
        "Your Council membership has ended",
        "member_revoked",
        member=member,
        message=message.strip(),
    )
    publish(MemberSignedOut(member_id=member.id))
    commit()
    return member


def suspend_member(
    actor: Member, member_id: int, reason: str, until: datetime, message: str = ""
) -> Member:
    """Suspend until a time: signed out now, sign-in refused until then."""
    member = _check_can_act(actor, member_id, reason)
    if member.status == MemberStatus.REVOKED:
        raise DomainError("This membership is revoked; reinstate it first.")
    if until <= utcnow():
        raise DomainError("The suspension must end in the future.", field="until")
    member.status = MemberStatus.SUSPENDED.value
    publish(MemberChanged(member_id=member.id))
    member.status_reason = reason.strip()
    member.suspended_until = until
    member.session_version += 1
    _audit(actor, "member.suspended", member, reason, until=until.isoformat())
    send_email(
        member.email,
        "Your Council membership is suspended",
        "member_suspended",
        member=member,
        until=until,
        message=message.strip(),
    )
    publish(MemberSignedOut(member_id=member.id))
    commit()
    return member


def reinstate_member(actor: Member, member_id: int, reason: str) -> Member:
    member = _check_can_act(actor, member_id, reason)
    if member.status == MemberStatus.ACTIVE:
        raise DomainError("This membership is already active.")
    member.status = MemberStatus.ACTIVE.value
    publish(MemberChanged(member_id=member.id))
    member.status_reason = ""
    member.suspended_until = None
    _audit(actor, "member.reinstated", member, reason)
    send_email(
        member.email, "Your Council membership is active again", "member_reinstated", member=member
    )
    commit()
    return member
