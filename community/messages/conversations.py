"""Private conversations: starting one, writing in it, reading it, and each participant's
unread state, mute and leaving. Every read goes through the access module; every write commits
once and announces itself after the commit (``MessageSent``: a push to the conversation's room
at once, notifications from the job runner)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from community import access
from community.core.clock import utcnow
from community.core.domain_events import ConversationChanged, MessageSent
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit, publish
from community.core.pagination import Page, page_count
from community.extensions import db
from community.forum.markdown import ParsedPost
from community.members.models import Member, MemberStatus
from community.messages.checks import (
    MAX_PARTICIPANTS,
    check_conversation_rate,
    check_message_rate,
    check_not_a_pitch,
    check_subject,
    parse_message,
)
from community.messages.models import Conversation, ConversationMember, Message

CONVERSATIONS_PER_PAGE = 30
MESSAGES_PER_PAGE = 30


# --- Writing -------------------------------------------------------------------------------


def find_members_by_handle(handles: Iterable[str]) -> list[Member]:
    """Active members named by handle ("@ana, bo"); an unknown handle is a form error."""
    wanted = {h.strip().lstrip("@").lower() for h in handles if h.strip().lstrip("@")}
    if not wanted:
        raise DomainError("Name at least one member by their @handle.", field="recipients")
    found = list(
        db.session.scalars(
            select(Member).where(Member.handle.in_(wanted), Member.status == MemberStatus.ACTIVE)
        )
    )
    missing = wanted - {member.handle for member in found}
    if missing:
        raise DomainError(
            "No member has the handle " + ", ".join(f"@{h}" for h in sorted(missing)) + ".",
            field="recipients",
        )
    return found


def _check_may_message(sender: Member, recipients: Iterable[Member]) -> None:
    refused = [m for m in recipients if not access.can_message(sender, m)]
    if refused:
        names = ", ".join(f"@{m.handle}" for m in refused)
        raise DomainError(
            f"{names} cannot be messaged directly. Their contact preference decides; where "
            "it allows, ask for an introduction from their profile.",
            field="recipients",
        )


def _add_message(
    author: Member, conversation: Conversation, body: str, parsed: ParsedPost
) -> Message:
    now = utcnow()
    # One UPDATE claims the next number, so two messages sent at once never share one.
    db.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation.id)
        .values(message_count=Conversation.message_count + 1, last_message_at=now)
    )
    db.session.refresh(conversation, ["message_count", "last_message_at"])
    message = Message(
        conversation=conversation,
        author_id=author.id,
        number=conversation.message_count,
        body=body,
        body_html=parsed.html,
        created_at=now,
    )
    db.session.add(message)
    mine = db.session.get(ConversationMember, (conversation.id, author.id))
    if mine is not None:
        mine.last_read_number = message.number  # one's own message is read
    db.session.flush()
    publish(MessageSent(message_id=message.id))
    return message


def open_conversation(
    starter: Member, recipients: list[Member], subject: str, body: str, parsed: ParsedPost
) -> Conversation:
    """Create a conversation with its first message, in the caller's unit of work (used also
    when an introduction is accepted, whose note becomes the first message)."""
    conversation = Conversation(starter_id=starter.id, subject=subject)
    db.session.add(conversation)
    db.session.flush()
    for member in [starter, *recipients]:
        db.session.add(ConversationMember(conversation_id=conversation.id, member_id=member.id))
    db.session.flush()
    _add_message(starter, conversation, body, parsed)
    return conversation


def start_conversation(
    starter: Member, recipients: list[Member], subject: str, body: str
) -> Conversation:
    """Start a private conversation with members the starter may message."""
    recipients = [m for m in {m.id: m for m in recipients}.values() if m.id != starter.id]
    if not recipients:
        raise DomainError("Name at least one other member.", field="recipients")
    if len(recipients) + 1 > MAX_PARTICIPANTS:
        raise DomainError(
            f"A conversation has at most {MAX_PARTICIPANTS} members.", field="recipients"
        )
    _check_may_message(starter, recipients)
    subject = check_subject(subject)
    parsed = parse_message(body)
    check_conversation_rate(starter)
    check_message_rate(starter)
    check_not_a_pitch(starter, f"{subject}\n\n{body}" if subject else body, parsed, "body")
    conversation = open_conversation(starter, recipients, subject, body, parsed)
    commit()
    return conversation


def send_message(member: Member, conversation_id: int, body: str) -> Message:
    """Write in a conversation the member takes part in."""
    conversation = access.get_visible_conversation(member, conversation_id)
    if access.participation(member, conversation) is None:
        raise PermissionDenied("Only the members of a conversation write in it.")
    parsed = parse_message(body)
    check_message_rate(member)
    message = _add_message(member, conversation, body, parsed)
    commit()
    return message


def add_participant(member: Member, conversation_id: int, handle: str) -> Member:
    """The starter adds someone they may message; the newcomer reads the whole conversation."""
    conversation = access.get_visible_conversation(member, conversation_id)
    if not can_add_participants(member, conversation):
        raise PermissionDenied("Only the member who started a conversation adds people to it.")
    newcomer = find_members_by_handle([handle])[0]
    _check_may_message(member, [newcomer])
    row = db.session.get(ConversationMember, (conversation.id, newcomer.id))
    if row is not None and row.left_at is None:
        raise DomainError(f"@{newcomer.handle} is already here.", field="handle")
    active = (
        db.session.scalar(
            select(func.count())
            .select_from(ConversationMember)
            .where(access.active_participants_filter(conversation.id))
        )
        or 0
    )
    if active >= MAX_PARTICIPANTS:
        raise DomainError(f"A conversation has at most {MAX_PARTICIPANTS} members.")
    if row is None:
        db.session.add(ConversationMember(conversation_id=conversation.id, member_id=newcomer.id))
    else:  # back after leaving
        row.left_at, row.joined_at, row.last_read_number = None, utcnow(), 0
    commit()
    return newcomer


def can_add_participants(member: Member, conversation: Conversation) -> bool:
    return (
        conversation.starter_id == member.id
        and access.participation(member, conversation) is not None
    )


def set_muted(member: Member, conversation_id: int, muted: bool) -> None:
    """A muted conversation sends no notifications and leaves the header count alone."""
    row = _own_place(member, conversation_id)
    row.muted = muted
    commit()


def leave(member: Member, conversation_id: int) -> None:
    """Leave for good: the conversation disappears from the member's list and answers 404 to
    them; their open pages stop receiving it at the next sweep."""
    row = _own_place(member, conversation_id)
    row.left_at = utcnow()
    publish(ConversationChanged(conversation_id=conversation_id))
    commit()


def _own_place(member: Member, conversation_id: int) -> ConversationMember:
    conversation = access.get_visible_conversation(member, conversation_id)
    row = access.participation(member, conversation)
    if row is None:
        raise PermissionDenied("You are not a member of this conversation.")
    return row


# --- Reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListedConversation:
    conversation: Conversation
    place: ConversationMember

    @property
    def unread(self) -> int:
        return max(0, self.conversation.message_count - self.place.last_read_number)


def list_conversations(member: Member, page: int = 1) -> Page[ListedConversation]:
    """The member's conversations, unread first, then by latest message, with their
    participants: four queries whatever the number of conversations or members."""
    unread_first = case(
        (ConversationMember.last_read_number < Conversation.message_count, 0), else_=1
    )
    mine = access.my_conversations_filter(member)
    total = db.session.scalar(select(func.count()).select_from(ConversationMember).where(mine))
    number = min(max(1, page), page_count(total or 0, CONVERSATIONS_PER_PAGE))
    rows = db.session.execute(
        select(ConversationMember, Conversation)
        .join(Conversation, Conversation.id == ConversationMember.conversation_id)
        .where(mine)
        .options(
            selectinload(Conversation.participants).joinedload(ConversationMember.member),
        )
        .order_by(unread_first, Conversation.last_message_at.desc(), Conversation.id.desc())
        .offset((number - 1) * CONVERSATIONS_PER_PAGE)
        .limit(CONVERSATIONS_PER_PAGE)
    ).all()
    items = [ListedConversation(conversation, place) for place, conversation in rows]
    return Page(items, number, CONVERSATIONS_PER_PAGE, total or 0)


def unread_conversations_query(member_id: Any) -> Any:
    """The header badge's count as a scalar subquery on ``member_id`` (an id or a bound
    parameter): conversations with unread messages, muted ones aside."""
    return (
        select(func.count())
        .select_from(ConversationMember)
        .join(Conversation, Conversation.id == ConversationMember.conversation_id)
        .where(
            access.member_conversations_filter(member_id),
            ConversationMember.muted.is_(False),
            ConversationMember.last_read_number < Conversation.message_count,
        )
        .scalar_subquery()
    )


def active_participants(conversation: Conversation) -> list[Member]:
    return [p.member for p in conversation.participants if p.left_at is None]


def read_messages(
    member: Member, conversation: Conversation, page: int | None = None
) -> Page[Message]:
    """One page of messages (the last page unless ``page`` is given), oldest first; a
    participant's read position moves to the last message shown."""
    total = conversation.message_count
    pages = page_count(total, MESSAGES_PER_PAGE)
    number = pages if page is None else min(max(1, page), pages)
    first = (number - 1) * MESSAGES_PER_PAGE + 1
    messages = list(
        db.session.scalars(
            select(Message)
            .where(
                Message.conversation_id == conversation.id,
                Message.number >= first,
                Message.number < first + MESSAGES_PER_PAGE,
            )
            .options(joinedload(Message.author))
            .order_by(Message.number)
        )
    )
    _mark_read(member, conversation, messages[-1].number if messages else 0)
    return Page(messages, number, MESSAGES_PER_PAGE, total)


def messages_after(member: Member, conversation_id: int, after: int) -> list[Message]:
    """Messages newer than number ``after`` (what a live page fetches when told of one)."""
    conversation = access.get_visible_conversation(member, conversation_id)
    messages = list(
        db.session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation.id, Message.number > after)
            .options(joinedload(Message.author))
            .order_by(Message.number)
            .limit(MESSAGES_PER_PAGE)
        )
    )
    if messages:
        _mark_read(member, conversation, messages[-1].number)
    return messages


def _mark_read(member: Member, conversation: Conversation, number: int) -> None:
    place = access.participation(member, conversation)
    if place is not None and number > place.last_read_number:
        place.last_read_number = number
        commit()
