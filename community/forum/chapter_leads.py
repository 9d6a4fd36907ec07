"""Owners appoint chapter leads: members who moderate one chapter community, and no other."""

from __future__ import annotations

from sqlalchemy import select

from community import access
from community.core.audit import record_audit
from community.core.domain_events import MemberChanged
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.extensions import db
from community.forum.models import ChapterLead, Community
from community.members.models import Member
from community.members.services import get_member_by_handle


def _chapter(owner: Member, community_id: int) -> Community:
    if not access.is_owner(owner):
        raise PermissionDenied("Only owners appoint chapter leads.")
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound("There is no such community.")
    if not community.is_chapter:
        raise DomainError("Only chapters have leads: mark the community as a chapter first.")
    return community


def appoint_lead(owner: Member, community_id: int, handle: str) -> Member:
    """Make an active member whose tier admits the chapter one of its leads, audit-logged."""
    community = _chapter(owner, community_id)
    member = get_member_by_handle(handle)
    if member is None or not member.is_active:
        raise DomainError("Name an active member by @handle.", field="handle")
    if not access.tier_admits(member, community.min_tier):
        raise DomainError(
            f"@{member.handle}'s tier ({member.tier.name}) does not admit {community.name}.",
            field="handle",
        )
    if db.session.get(ChapterLead, (community.id, member.id)) is not None:
        raise DomainError(f"@{member.handle} already leads {community.name}.", field="handle")
    db.session.add(ChapterLead(community_id=community.id, member_id=member.id))
    publish(MemberChanged(member_id=member.id))  # a lead opens the chapter's hidden threads
    record_audit(
        owner,
        "community.lead_appointed",
        "community",
        community.id,
        target_label=community.slug,
        lead=member.handle,
    )
    commit()
    return member


def remove_lead(owner: Member, community_id: int, member_id: int) -> None:
    community = _chapter(owner, community_id)
    lead = db.session.get(ChapterLead, (community.id, member_id))
    if lead is None:
        raise NotFound("That member does not lead this chapter.")
    member = db.session.get(Member, member_id)
    db.session.delete(lead)
    publish(MemberChanged(member_id=member_id))
    record_audit(
        owner,
        "community.lead_removed",
        "community",
        community.id,
        target_label=community.slug,
        lead=member.handle if member else "",
    )
    commit()


def list_led_chapters(member_id: int) -> list[Community]:
    """The chapters a member leads, by name (for the owners' member page)."""
    return list(
        db.session.scalars(
            select(Community)
            .join(ChapterLead, ChapterLead.community_id == Community.id)
            .where(ChapterLead.member_id == member_id)
            .order_by(Community.name)
        )
    )


def list_chapters() -> list[Community]:
    """Every open chapter, by name: where an owner can appoint a lead."""
    return list(
        db.session.scalars(
            select(Community)
            .where(Community.is_chapter.is_(True), Community.archived_at.is_(None))
            .order_by(Community.name)
        )
    )
