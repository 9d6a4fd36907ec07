"""Owners appoint and remove roles, move members between tiers and reset a lost second
factor, from the console.

Every change needs a written reason, goes into the audit log with the policy version in force,
and tells the member after the commit (``RoleChanged``/``TierChanged``). Guard rails:

* nobody changes their own role (``access.can_change_role``): an owner who wants to step down
  asks another owner, so a slip cannot leave the council with one owner fewer;
* the council always keeps an owner: only another owner demotes one, and the owners' rows are
  locked while they do, so two owners demoting each other at the same moment cannot both
  succeed (the second finds they are no longer an owner);
* only active members are appointed (a suspended or revoked member is reinstated first).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from community import access
from community.core.audit import record_audit
from community.core.domain_events import MemberChanged, MemberSignedOut, RoleChanged, TierChanged
from community.core.errors import DomainError, NotFound
from community.core.events import commit, publish
from community.core.mail import send_email
from community.core.pagination import Page, paginate
from community.core.urls import external_url
from community.extensions import db
from community.members import two_factor
from community.members.models import Member, MemberStatus, Role, Tier
from community.membership.services import get_current_policy

ROLE_LABELS = {
    Role.MEMBER: "Member",
    Role.EDITOR: "Editor (the library)",
    Role.MODERATOR: "Moderator (all communities)",
    Role.OWNER: "Owner",
}


@dataclass(frozen=True)
class MemberFilter:
    q: str = ""  # part of the name, email or handle
    role: str = ""
    tier: str = ""  # a tier's slug
    status: str = ""


def list_members(owner: Member, filters: MemberFilter, page: int = 1) -> Page[Member]:
    """Members for the console, by name; two queries whatever the page (tiers are joined)."""
    access.check_owner(owner)
    query = select(Member).join(Member.tier).order_by(Member.name, Member.id)
    if filters.q:
        like = f"%{filters.q.strip().lower()}%"
        query = query.where(
            Member.email.ilike(like) | Member.name.ilike(like) | Member.handle.ilike(like)
        )
    if filters.role:
        query = query.where(Member.role == filters.role)
    if filters.tier:
        query = query.where(Tier.slug == filters.tier)
    if filters.status:
        query = query.where(Member.status == filters.status)
    return paginate(query, page, per_page=50)


def get_member_for_owner(owner: Member, member_id: int) -> Member:
    access.check_owner(owner)
    member = db.session.get(Member, member_id)
    if member is None:
        raise NotFound("That member does not exist.")
    return member


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DomainError("Give the reason; it goes into the audit log.", field="reason")
    if len(reason) > 1000:
        raise DomainError("Keep the reason under 1,000 characters.", field="reason")
    return reason


def _audit(owner: Member, action: str, member: Member, reason: str, **details: str) -> None:
    record_audit(
        owner,
        action,
        "member",
        member.id,
        target_label=f"{member.name} <{member.email}>",
        reason=reason,
        policy_version=get_current_policy().version,
        **details,
    )


def _check_still_an_owner(owner: Member) -> None:
    """Lock the owners' rows and check that the actor is still one of them. With nobody able
    to change their own role, the actor stays an owner, so the council always keeps one; the
    lock makes two owners demoting each other at the same moment take turns on PostgreSQL
    (SQLite runs one writer at a time anyway), and the second finds itself demoted."""
    owner_ids = db.session.scalars(
        select(Member.id).where(Member.role == Role.OWNER.value).with_for_update()
    ).all()
    if owner.id not in owner_ids:
        raise NotFound()


def change_role(owner: Member, member_id: int, role: str, reason: str) -> Member:
    """Give a member another role (member, editor, moderator, owner), audit-logged."""
    member = get_member_for_owner(owner, member_id)
    try:
        new_role = Role(role)
    except ValueError:
        raise DomainError("Choose one of the roles offered.", field="role") from None
    if not access.can_change_role(owner, member):
        raise DomainError(
            "You cannot change your own role; another owner can.",
            field="role",
        )
    reason = _reason(reason)
    if member.role == new_role:
        raise DomainError(f"{member.name} is already {ROLE_LABELS[new_role].lower()}.", "role")
    if new_role != Role.MEMBER and member.status != MemberStatus.ACTIVE:
        raise DomainError(f"{member.name}'s membership is {member.status}; reinstate it first.")
    if member.role == Role.OWNER:
        _check_still_an_owner(owner)
    previous = member.role
    member.role = new_role.value
    _audit(owner, "member.role_changed", member, reason, role_from=previous, role_to=new_role)
    publish(MemberChanged(member_id=member.id))
    publish(RoleChanged(member_id=member.id, role=new_role.value))
    commit()
    return member


def change_tier(owner: Member, member_id: int, tier_slug: str, reason: str) -> Member:
    """Move a member to another tier, with a reason, audit-logged. What they see changes at
    their next page (tiers are read on every request)."""
    member = get_member_for_owner(owner, member_id)
    if not access.can_change_tier(owner, member):
        raise NotFound()
    tier = db.session.scalars(select(Tier).where(Tier.slug == tier_slug)).first()
    if tier is None:
        raise DomainError("Choose one of the tiers offered.", field="tier")
    reason = _reason(reason)
    if member.tier_id == tier.id:
        raise DomainError(f"{member.name} is already in the {tier.name} tier.", field="tier")
    previous = member.tier.slug
    member.tier = tier
    _audit(owner, "member.tier_changed", member, reason, tier_from=previous, tier_to=tier.slug)
    publish(MemberChanged(member_id=member.id))
    publish(TierChanged(member_id=member.id, tier_id=tier.id))
    commit()
    return member


def reset_two_factor(owner: Member, member_id: int, reason: str) -> Member:
    """Turn off two-step sign-in for a member who lost their authenticator and their recovery
    codes, so they can sign in with their password and enrol again (staff must, at once).
    Whoever was signed in as them is signed out, and the member is told by email (they may
    have no session to read a notification in), so a reset they did not ask for is noticed."""
    member = get_member_for_owner(owner, member_id)
    if not access.can_reset_two_factor(owner, member):
        raise DomainError(
            "Two-step sign-in is not on for this member."
            if owner.id != member.id
            else "You cannot reset your own two-step sign-in; another owner can."
        )
    reason = _reason(reason)
    two_factor.turn_off(member)
    member.session_version += 1
    _audit(owner, "member.two_factor_reset", member, reason)
    send_email(
        member.email,
        "Two-step sign-in was turned off for your Council account",
        "two_factor_reset",
        member=member,
        sign_in_url=external_url("members.login"),
    )
    publish(MemberSignedOut(member_id=member.id))
    commit()
    return member
