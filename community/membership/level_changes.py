"""A member changing their own level, judged by the current policy like an applicant's.

A level the policy does not admit cannot be chosen. A level the policy places in the member's
own tier changes at once; one placed in another tier waits for a moderator, with the policy
version it was judged under, since it changes what the member may see.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.domain_events import MemberChanged
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.extensions import db
from community.members.levels import Level
from community.members.models import Member
from community.membership.models import LevelChangeRequest, RequestStatus
from community.membership.policy import evaluate, tier_slug_for
from community.membership.services import get_current_policy, get_tier_by_slug


def get_pending_level_change(member: Member) -> LevelChangeRequest | None:
    return db.session.scalars(
        select(LevelChangeRequest).where(
            LevelChangeRequest.member_id == member.id,
            LevelChangeRequest.status == RequestStatus.PENDING,
        )
    ).first()


def change_level(member: Member, level: str) -> LevelChangeRequest | None:
    """Apply a new level at once when the tier stays; otherwise queue it for the moderators
    and return the request."""
    if level not in set(Level):
        raise DomainError("Choose a level from the list.", field="level")
    if level == member.level:
        raise DomainError("That is your level already.", field="level")
    if get_pending_level_change(member) is not None:
        raise DomainError(
            "A level change of yours is waiting for a moderator already.", field="level"
        )
    policy = get_current_policy()
    tier_slug = tier_slug_for(policy, level)
    if tier_slug is None:
        # The level rule alone decides: the address was judged when the member was admitted.
        raise DomainError(evaluate(policy, level, member.email).failed_rule, field="level")
    old_level = member.level
    if tier_slug == member.tier.slug:
        member.level = level
        record_audit(
            member,
            "member.level_changed",
            "member",
            member.id,
            target_label=member.email,
            policy_version=policy.version,
            from_level=old_level,
            to_level=level,
        )
        commit()
        return None
    change = LevelChangeRequest(
        member=member,
        from_level=old_level,
        to_level=level,
        to_tier=get_tier_by_slug(tier_slug),
        policy_version=policy.version,
    )
    db.session.add(change)
    db.session.flush()
    record_audit(
        member,
        "level_change.requested",
        "level_change_request",
        change.id,
        target_label=member.email,
        policy_version=policy.version,
        from_level=old_level,
        to_level=level,
        to_tier=tier_slug,
    )
    commit()
    return change


def get_pending_level_changes() -> list[LevelChangeRequest]:
    """The moderators' queue of level changes, oldest first."""
    return list(
        db.session.scalars(
            select(LevelChangeRequest)
            .where(LevelChangeRequest.status == RequestStatus.PENDING)
            .options(joinedload(LevelChangeRequest.member), joinedload(LevelChangeRequest.to_tier))
            .order_by(LevelChangeRequest.created_at, LevelChangeRequest.id)
        )
    )


def _get_pending_for(moderator: Member, change_id: int) -> LevelChangeRequest:
    if not access.is_moderator(moderator):
        raise PermissionDenied("Only moderators decide on level changes.")
    change = db.session.get(LevelChangeRequest, change_id)
    if change is None:
        raise NotFound("That level change does not exist.")
    if change.status != RequestStatus.PENDING:
        raise DomainError(f"This level change was already {change.status}.")
    if change.member_id == moderator.id:
        raise PermissionDenied("Another moderator decides on your own level change.")
    return change


def approve_level_change(moderator: Member, change_id: int) -> None:
    """Give the member the new level and the tier the current policy places it in."""
    change = _get_pending_for(moderator, change_id)
    policy = get_current_policy()
    tier_slug = tier_slug_for(policy, change.to_level)
    if tier_slug is None:
        raise DomainError(
            f"The policy changed since the request (now version {policy.version}) and no "
            "longer admits this level; decline it."
        )
    member = change.member
    member.level = change.to_level
    member.tier = get_tier_by_slug(tier_slug)
    publish(MemberChanged(member_id=member.id))  # what they may see changed with the tier
    _decide(moderator, change, RequestStatus.APPROVED, policy.version, tier=tier_slug)


def decline_level_change(moderator: Member, change_id: int) -> None:
    """Leave the member's level and tier as they are."""
    change = _get_pending_for(moderator, change_id)
    _decide(moderator, change, RequestStatus.DECLINED, get_current_policy().version)


def _decide(
    moderator: Member,
    change: LevelChangeRequest,
    status: RequestStatus,
    policy_version: int,
    **details: str,
) -> None:
    change.status = status.value
    change.decided_at = utcnow()
    change.decided_by = moderator
    record_audit(
        moderator,
        f"level_change.{status.value}",
        "level_change_request",
        change.id,
        target_label=change.member.email,
        policy_version=policy_version,
        from_level=change.from_level,
        to_level=change.to_level,
        **details,
    )
    commit()
