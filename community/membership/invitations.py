"""The owners' view of sent invitations: what became of each, resending and revoking.

An invitation's state is read from its timestamps, never stored: accepted (``accepted_at``),
revoked (``revoked_at``), expired (neither, and ``expires_at`` has passed), else pending. The
list filters on the same rule in SQL, and a page is two queries (count and rows, with the
request, tier and inviter joined in) whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from community import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.errors import DomainError, NotFound
from community.core.events import commit, on_commit
from community.core.pagination import Page, paginate
from community.core.security import new_token
from community.extensions import db
from community.members.models import Member
from community.membership.models import Invitation
from community.membership.services import email_invitation, get_current_policy
from community.metrics import events as metric_events

PER_PAGE = 50


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    REVOKED = "revoked"


def invitation_state(invitation: Invitation, now: datetime) -> InvitationState:
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationState.REVOKED
    if invitation.expires_at <= now:
        return InvitationState.EXPIRED
    return InvitationState.PENDING


def _state_filter(state: InvitationState, now: datetime) -> Any:
    """``invitation_state`` as a WHERE clause."""
    open_ = and_(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    return {
        InvitationState.ACCEPTED: Invitation.accepted_at.is_not(None),
        InvitationState.REVOKED: and_(
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_not(None)
        ),
        InvitationState.EXPIRED: and_(open_, Invitation.expires_at <= now),
        InvitationState.PENDING: and_(open_, Invitation.expires_at > now),
    }[state]


@dataclass(frozen=True)
class InvitationFilter:
    state: str = ""  # an InvitationState value, or "" for all
    q: str = ""  # part of the invited email


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    state: InvitationState


def list_invitations(
    owner: Member, filters: InvitationFilter, page: int = 1
) -> tuple[Page[InvitationRow], datetime]:
    """Newest first; returns the page and the moment its states were judged at."""
    access.check_owner(owner)
    now = utcnow()
    query = (
        select(Invitation)
        .options(
            joinedload(Invitation.request),
            joinedload(Invitation.tier),
            joinedload(Invitation.invited_by),
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    try:
        state = InvitationState(filters.state) if filters.state else None
    except ValueError:
        state = None  # an unknown state in a hand-typed URL shows them all
    if state is not None:
        query = query.where(_state_filter(state, now))
    if filters.q:
        query = query.where(Invitation.email.ilike(f"%{filters.q.strip().lower()}%"))
    result = paginate(query, page, PER_PAGE)
    rows = [InvitationRow(item, invitation_state(item, now)) for item in result.items]
    return Page(rows, result.number, result.per_page, result.total), now


def _get(owner: Member, invitation_id: int) -> Invitation:
    access.check_owner(owner)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound("There is no such invitation.")
    return invitation


def _audit(owner: Member, action: str, invitation: Invitation, reason: str = "") -> None:
    record_audit(
        owner,
        action,
        "invitation",
        invitation.id,
        target_label=f"{invitation.request.name} <{invitation.email}>",
        reason=reason,
        policy_version=get_current_policy().version,
    )


def resend_invitation(owner: Member, invitation_id: int) -> tuple[Invitation, str]:
    """Email a pending or expired invitation again with a new link, valid for the policy's
    number of days from now. The old link stops working at once: only the new token's hash
    is kept, so the old one matches no invitation."""
    invitation = _get(owner, invitation_id)
    state = invitation_state(invitation, utcnow())
    if state == InvitationState.ACCEPTED:
        raise DomainError("This invitation was accepted; there is nothing to resend.")
    if state == InvitationState.REVOKED:
        raise DomainError("This invitation was revoked; approve a new request instead.")
    token, token_hash = new_token()
    invitation.token_hash = token_hash
    invitation.expires_at = utcnow() + timedelta(days=get_current_policy().invitation_days)
    invitation.expiry_noted_at = None  # if it expires again, that counts again
    _audit(owner, "invitation.resent", invitation)
    email_invitation(invitation, token)
    commit()
    return invitation, token


def revoke_invitation(owner: Member, invitation_id: int, reason: str = "") -> Invitation:
    """Withdraw a pending or expired invitation: its link answers like an unknown link."""
    invitation = _get(owner, invitation_id)
    state = invitation_state(invitation, utcnow())
    if state == InvitationState.ACCEPTED:
        raise DomainError("This invitation was accepted; suspend or revoke the member instead.")
    if state == InvitationState.REVOKED:
        raise DomainError("This invitation is already revoked.")
    invitation.revoked_at = utcnow()
    _audit(owner, "invitation.revoked", invitation, reason.strip()[:1000])
    commit()
    return invitation


# How often the job looks for invitations that expired since its last run.
EXPIRY_CHECK_SECONDS = 600


def note_expired_invitations() -> int:
    """Count each invitation that expired unused as one "expire" metric event for the owners'
    funnel, once: the row remembers it was counted, and the events are buffered only after
    that commit. Run by the job runner."""
    now = utcnow()
    expired = db.session.scalars(
        select(Invitation).where(
            _state_filter(InvitationState.EXPIRED, now), Invitation.expiry_noted_at.is_(None)
        )
    ).all()
    for invitation in expired:
        invitation.expiry_noted_at = now
        on_commit(_note_expired, invitation.invited_by_id, invitation.id)
    commit()
    return len(expired)


def _note_expired(inviter_id: int | None, invitation_id: int) -> None:
    metric_events.note(inviter_id, "expire", "invitation", invitation_id)
