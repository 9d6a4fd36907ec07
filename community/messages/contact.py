"""Contact by consent: each member's contact preference, and introduction requests.

A member who may not message another (``access.can_message``) may ask for an introduction with
a short note, where the other's preference allows it (``access.can_ask_introduction``). The
recipient accepts (a conversation opens, the note its first message) or declines quietly: the
sender's pages and notifications are the same for a declined request as for one never answered,
and a declined request blocks a new one for the same time a pending one does.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from community import access
from community.core.clock import utcnow
from community.core.domain_events import IntroductionAccepted, IntroductionRequested
from community.core.errors import DomainError, NotFound
from community.core.events import commit, publish
from community.extensions import db
from community.forum.markdown import parse_post
from community.members.models import ContactPreference, Member
from community.messages.checks import check_introduction_rate, check_not_a_pitch, check_note
from community.messages.conversations import open_conversation
from community.messages.models import (
    Conversation,
    ConversationMember,
    IntroductionRequest,
    IntroductionStatus,
)

CONTACT_CHOICES = (
    (ContactPreference.ALL_MEMBERS.value, "All members"),
    (ContactPreference.TIER_AND_ABOVE.value, "Members of my tier and above"),
    (ContactPreference.NOBODY.value, "Nobody"),
)
# How long an unanswered (or quietly declined) request stands before the sender may ask again.
REQUEST_STANDS_FOR = timedelta(days=90)


def set_contact_preference(member: Member, preference: str) -> None:
    if preference not in {value for value, _ in CONTACT_CHOICES}:
        raise DomainError("Choose one of the offered options.", field="preference")
    member.contact_preference = preference
    commit()


def get_contact_target(viewer: Member, member_id: int | None) -> Member | None:
    """The member a "Message" or "Ask for an introduction" link names, or None for no link;
    NotFound for a member who does not exist or is no longer active."""
    if member_id is None:
        return None
    member = access.get_visible_member(viewer, member_id)
    if not member.is_active:
        raise NotFound("There is no such member.")
    return member


def ask_introduction(sender: Member, recipient_id: int, note: str) -> IntroductionRequest:
    """Send an introduction request. A member the sender may not know of answers 404."""
    recipient = db.session.get(Member, recipient_id)
    if recipient is None or recipient.id == sender.id:
        raise NotFound("There is no such member.")
    if access.can_message(sender, recipient):
        raise DomainError("You may message this member directly; no introduction is needed.")
    if not access.can_ask_introduction(sender, recipient):
        raise DomainError("This member does not accept introduction requests.")
    note = check_note(note)
    check_introduction_rate(sender)
    standing = db.session.scalar(
        select(IntroductionRequest.id).where(
            IntroductionRequest.sender_id == sender.id,
            IntroductionRequest.recipient_id == recipient.id,
            IntroductionRequest.status != IntroductionStatus.ACCEPTED,
            IntroductionRequest.created_at > utcnow() - REQUEST_STANDS_FOR,
        )
    )
    if standing is not None:
        raise DomainError(_ALREADY_ASKED, field="note")
    check_not_a_pitch(sender, note, None, "note")
    request = IntroductionRequest(sender_id=sender.id, recipient_id=recipient.id, note=note)
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError:  # the partial unique index: two submissions raced
        db.session.rollback()
        raise DomainError(_ALREADY_ASKED, field="note") from None
    publish(IntroductionRequested(request_id=request.id))
    commit()
    return request


_ALREADY_ASKED = (
    "You have already asked for an introduction to this member. They will answer if they wish."
)


def _received_request(member: Member, request_id: int) -> IntroductionRequest:
    request = db.session.get(IntroductionRequest, request_id)
    if request is None or request.recipient_id != member.id:
        raise NotFound("There is no such introduction request.")
    if request.status != IntroductionStatus.PENDING:
        raise DomainError("You have already answered this request.")
    return request


def accept_introduction(member: Member, request_id: int) -> Conversation:
    """Open a conversation between the two, the note its first message."""
    request = _received_request(member, request_id)
    sender = request.sender
    if not sender.is_active:
        raise DomainError("This member is no longer active.")
    conversation = open_conversation(
        sender, [member], "Introduction", request.note, parse_post(request.note)
    )
    # The accepting member has read the note: they are not notified of it as a new message.
    accepter = db.session.get(ConversationMember, (conversation.id, member.id))
    if accepter is not None:
        accepter.last_read_number = 1
    request.status = IntroductionStatus.ACCEPTED.value
    request.decided_at = utcnow()
    request.conversation_id = conversation.id
    publish(IntroductionAccepted(request_id=request.id))
    commit()
    return conversation


def decline_introduction(member: Member, request_id: int) -> None:
    """Decline quietly: nothing is sent, and the sender's pages do not change."""
    request = _received_request(member, request_id)
    request.status = IntroductionStatus.DECLINED.value
    request.decided_at = utcnow()
    commit()


def received_requests(member: Member) -> list[IntroductionRequest]:
    """Requests waiting for the member's answer, oldest first."""
    return list(
        db.session.scalars(
            select(IntroductionRequest)
            .where(
                IntroductionRequest.recipient_id == member.id,
                IntroductionRequest.status == IntroductionStatus.PENDING,
            )
            .options(joinedload(IntroductionRequest.sender))
            .order_by(IntroductionRequest.created_at)
        )
    )


def sent_requests(member: Member, limit: int = 50) -> list[IntroductionRequest]:
    """The member's own requests, newest first. Templates show only "accepted" or "sent":
    ``shown_status`` never tells a decline from silence."""
    return list(
        db.session.scalars(
            select(IntroductionRequest)
            .where(IntroductionRequest.sender_id == member.id)
            .options(joinedload(IntroductionRequest.recipient))
            .order_by(IntroductionRequest.created_at.desc())
            .limit(limit)
        )
    )


def shown_status(request: IntroductionRequest) -> str:
    """What the sender is told: accepted, or sent (pending and declined alike)."""
    return "accepted" if request.status == IntroductionStatus.ACCEPTED else "sent"
