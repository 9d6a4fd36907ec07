"""Getting in: the policy, moderator decisions on requests, invitations.

Submitting a request and nominating live in ``applications.py``.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from community import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.domain_events import MemberJoined
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, on_commit, publish
from community.core.mail import send_email
from community.core.pagination import Page, paginate
from community.core.security import hash_token, new_token
from community.core.urls import external_url
from community.extensions import db
from community.members.models import Member, MemberStatus, Role, Tier
from community.members.services import check_password_strength, hash_password, make_handle
from community.membership.models import (
    DeclineCategory,
    Invitation,
    MembershipPolicy,
    MembershipRequest,
    RequestStatus,
)
from community.membership.policy import (
    DEFAULT_ADMITTED_LEVELS,
    DEFAULT_BLOCKED_EMAIL_DOMAINS,
    DEFAULT_LEVEL_TIERS,
    evaluate,
    tier_slug_for,
)
from community.metrics import events as metric_events


def get_current_policy() -> MembershipPolicy:
    policy = db.session.scalars(
        select(MembershipPolicy).order_by(MembershipPolicy.version.desc()).limit(1)
    ).first()
    if policy is None:
        raise DomainError("No membership policy has been published yet (run `community demo`).")
    return policy


def get_tiers() -> list[Tier]:
    return list(db.session.scalars(select(Tier).order_by(Tier.rank.desc())))


def get_tier_by_slug(slug: str) -> Tier:
    tier = db.session.scalars(select(Tier).where(Tier.slug == slug)).first()
    if tier is None:
        raise DomainError(f"The policy names a tier '{slug}' that does not exist.")
    return tier


def get_pending_requests(page: int = 1, per_page: int = 50) -> Page[MembershipRequest]:
    """The review queue: oldest first, so nobody waits behind newer applicants."""
    query = (
        select(MembershipRequest)
        .where(MembershipRequest.status == RequestStatus.PENDING)
        .options(joinedload(MembershipRequest.referrer))
        .order_by(MembershipRequest.created_at, MembershipRequest.id)
    )
    return paginate(query, page, per_page)


def count_pending_requests() -> int:
    """How many requests wait for a decision (by the partial index on pending ones)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(MembershipRequest)
            .where(MembershipRequest.status == RequestStatus.PENDING)
        )
        or 0
    )


def get_request(request_id: int) -> MembershipRequest:
    request = db.session.get(MembershipRequest, request_id)
    if request is None:
        raise NotFound("That request does not exist.")
    return request


def _get_pending_request_for(moderator: Member, request_id: int) -> MembershipRequest:
    if not access.is_moderator(moderator):
        raise PermissionDenied("Only moderators decide on membership requests.")
    request = get_request(request_id)
    if request.status != RequestStatus.PENDING:
        raise DomainError(f"This request was already {request.status}.")
    return request


def approve_request(
    moderator: Member, request_id: int, override_reason: str = ""
) -> tuple[Invitation, str]:
    """Approve a request and email an invitation; returns it with its one-time token.

    The request is judged again under the current policy. An ineligible request can be
    approved only by an owner, with a written reason that goes into the audit log.
    """
    request = _get_pending_request_for(moderator, request_id)
    policy = get_current_policy()
    verdict = evaluate(policy, request.level, request.email)
    override_reason = override_reason.strip()
    if not verdict.eligible:
        if not access.is_owner(moderator):
            raise PermissionDenied(
                "This request does not meet the policy; only an owner can approve it, "
                "with a written reason."
            )
        if not override_reason:
            raise DomainError(
                "Approving outside the policy needs a written override reason.",
                field="override_reason",
            )
    tier_slug = tier_slug_for(policy, request.level)
    tier = get_tier_by_slug(tier_slug) if tier_slug else _lowest_tier()

    now = utcnow()
    request.status = RequestStatus.APPROVED
    request.decided_at = now
    request.decided_by = moderator
    request.override_reason = override_reason if not verdict.eligible else ""
    token, token_hash = new_token()
    invitation = Invitation(
        request=request,
        email=request.email,
        tier=tier,
        token_hash=token_hash,
        expires_at=now + timedelta(days=policy.invitation_days),
        invited_by_id=moderator.id,
    )
    db.session.add(invitation)
    record_audit(
        moderator,
        "request.approved_override" if not verdict.eligible else "request.approved",
        "membership_request",
        request.id,
        target_label=f"{request.name} <{request.email}>",
        reason=override_reason if not verdict.eligible else "",
        policy_version=policy.version,
        tier=tier.slug,
        failed_rule=verdict.failed_rule,
    )
    email_invitation(invitation, token)
    commit()
    return invitation, token


def email_invitation(invitation: Invitation, token: str) -> None:
    """Send the invitation's link (queued with the unit of work), and count it as sent for the
    owners' funnel once that commits."""
    send_email(
        invitation.email,
        "Your invitation to Council",
        "invitation",
        request=invitation.request,
        tier=invitation.tier,
        expires_at=invitation.expires_at,
        url=external_url("membership.accept_invitation", token=token),
    )
    db.session.flush()  # the invitation's id, for the metric event
    on_commit(_note_sent, invitation.invited_by_id, invitation.id)


def _note_sent(inviter_id: int | None, invitation_id: int) -> None:
    metric_events.note(inviter_id, "send", "invitation", invitation_id)


def _lowest_tier() -> Tier:
    tier = db.session.scalars(select(Tier).order_by(Tier.rank).limit(1)).first()
    if tier is None:
        raise DomainError("No tiers exist yet.")
    return tier


def decline_request(
    moderator: Member, request_id: int, category: str, message: str = ""
) -> MembershipRequest:
    """Decline with a reason category and a courteous email that names the rule."""
    request = _get_pending_request_for(moderator, request_id)
    try:
        reason = DeclineCategory(category)
    except ValueError:
        raise DomainError("Choose a reason for declining.", field="category") from None
    message = message.strip()
    if reason == DeclineCategory.OTHER and not message:
        raise DomainError("Say why in the message when the reason is 'Other'.", field="message")
    policy = get_current_policy()
    request.status = RequestStatus.DECLINED
    request.decided_at = utcnow()
    request.decided_by = moderator
    request.decline_category = reason.value
    request.decline_message = message
    record_audit(
        moderator,
        "request.declined",
        "membership_request",
        request.id,
        target_label=f"{request.name} <{request.email}>",
        reason=f"{reason.label}. {message}".strip(),
        policy_version=policy.version,
    )
    send_email(
        request.email,
        "About your request to join Council",
        "request_declined",
        request=request,
        reason=reason,
        message=message,
        policy=policy,
        again_on=request.decided_at + timedelta(days=policy.cooldown_days),
    )
    commit()
    return request


class InvalidInvitation(DomainError):
    """The link cannot be used; the message says why and what to do instead."""


def check_invitation(token: str) -> Invitation:
    """The invitation a token opens, or InvalidInvitation saying plainly why not."""
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    ).first()
    # A revoked invitation answers like a link that never existed: whoever holds it learns
    # nothing from it (and a resent one's old link no longer matches any row).
    if invitation is None or invitation.revoked_at is not None:
        raise InvalidInvitation(
            "This invitation link is not valid. Check that you copied the whole link from the "
            "email, or request membership again."
        )
    if invitation.accepted_at is not None:
        raise InvalidInvitation("This invitation has already been used. Sign in instead.")
    if invitation.expires_at <= utcnow():
        raise InvalidInvitation(
            "This invitation has expired. Request membership again and a moderator will "
            "send a new one."
        )
    return invitation


def accept_invitation(token: str, name: str, password: str, accepted_guidelines: bool) -> Member:
    """Create the member an invitation names (or reinstate a former one); single use."""
    invitation = check_invitation(token)
    if not accepted_guidelines:
        raise DomainError("Please accept the community guidelines.", field="accept_guidelines")
    check_password_strength(password)
    name = name.strip()
    if not name:
        raise DomainError("Please give your name.", field="name")
    request = invitation.request
    now = utcnow()
    member = db.session.scalars(select(Member).where(Member.email == invitation.email)).first()
    if member is None:
        # The tier is set now: a lazy load below would autoflush a member without one.
        member = Member(
            email=invitation.email,
            role=Role.MEMBER.value,
            tier=invitation.tier,
            handle=make_handle(name),
        )
        db.session.add(member)
    elif member.status != MemberStatus.REVOKED:
        raise InvalidInvitation("You are already a member. Sign in instead.")
    else:
        member.session_version += 1
    member.name = name
    member.title = request.title
    member.level = request.level
    member.company = request.company
    member.region = request.region
    member.profile_url = request.profile_url
    member.tier = invitation.tier
    member.status = MemberStatus.ACTIVE.value
    member.status_reason = ""
    member.suspended_until = None
    member.password_hash = hash_password(password)
    member.guidelines_accepted_at = now
    member.referrer_id = request.referrer_id
    invitation.accepted_at = now
    db.session.flush()
    invitation.member_id = member.id
    record_audit(
        member,
        "invitation.accepted",
        "member",
        member.id,
        target_label=f"{member.name} <{member.email}>",
        tier=invitation.tier.slug,
    )
    if request.referrer is not None and request.referrer.is_active:
        send_email(
            request.referrer.email,
            f"{member.name} accepted your nomination",
            "nomination_accepted",
            referrer=request.referrer,
            member=member,
        )
    publish(MemberJoined(member_id=member.id, referrer_id=request.referrer_id))
    commit()
    return member


DEFAULT_TIERS = [
    ("council", "Council", 30, "C-Suite, EVPs and SVPs."),
    ("executive", "Executive", 20, "Vice presidents."),
    ("strategist", "Strategist", 10, "Directors."),
]


def ensure_defaults() -> MembershipPolicy:
    """Create the default tiers and policy version 1 on an empty database; idempotent."""
    if not get_tiers():
        for slug, name, rank, description in DEFAULT_TIERS:
            db.session.add(Tier(slug=slug, name=name, rank=rank, description=description))
    policy = db.session.scalars(select(MembershipPolicy).limit(1)).first()
    if policy is None:
        policy = MembershipPolicy(
            version=1,
            admitted_levels=[level.value for level in DEFAULT_ADMITTED_LEVELS],
            level_tiers={level.value: slug for level, slug in DEFAULT_LEVEL_TIERS.items()},
            blocked_email_domains=list(DEFAULT_BLOCKED_EMAIL_DOMAINS),
            note="The default policy: Director and above.",
        )
        db.session.add(policy)
    commit()
    return get_current_policy()
