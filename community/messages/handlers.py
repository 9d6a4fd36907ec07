"""Private contact's events in, pushes and notifications out.

A new message is pushed to the conversation's room right after the commit (one room, cheap);
telling its participants is queued for the job runner, as for threads, and skips the author,
those who muted the conversation or left it, and those who have already read that far.
``notify`` asks ``access.can_see_conversation`` for each recipient again at delivery.
"""

from __future__ import annotations

from sqlalchemy import select

from community import access
from community.core.domain_events import (
    ConversationReported,
    IntroductionAccepted,
    IntroductionRequested,
    MessageSent,
)
from community.core.events import subscribe
from community.core.outbox import subscribe_queued
from community.core.urls import path_for
from community.extensions import db
from community.members.models import Member
from community.messages.models import (
    Conversation,
    ConversationMember,
    ConversationReport,
    IntroductionRequest,
    Message,
)
from community.notifications import live
from community.notifications.services import Draft, notify, who_did_it


def _title(conversation: Conversation) -> str:
    return f"“{conversation.subject}”" if conversation.subject else "a private conversation"


def push_new_message(event: MessageSent) -> None:
    message = db.session.get(Message, event.message_id)
    if message is not None:
        live.push_message(message.conversation_id, message.number)


def on_message_sent(event: MessageSent) -> None:
    message = db.session.get(Message, event.message_id)
    if message is None:
        return
    conversation = message.conversation
    recipients = db.session.scalars(
        select(ConversationMember.member_id).where(
            ConversationMember.conversation_id == conversation.id,
            ConversationMember.left_at.is_(None),
            ConversationMember.muted.is_(False),
            ConversationMember.last_read_number < message.number,
        )
    )
    title = _title(conversation)
    notify(
        recipients,
        Draft(
            kind="message",
            text=f"{who_did_it(message.author)} wrote to you in {title}",
            url=path_for("messages.conversation", conversation_id=conversation.id),
            actor_id=message.author_id,
            conversation=conversation,
            group_key=f"conversation:{conversation.id}",
            folded_text="{count} new messages in " + title,
        ),
    )


def on_introduction_requested(event: IntroductionRequested) -> None:
    request = db.session.get(IntroductionRequest, event.request_id)
    if request is None:
        return
    notify(
        [request.recipient_id],
        Draft(
            kind="introduction",
            text=f"{who_did_it(request.sender)} asks for an introduction",
            url=path_for("messages.introductions"),
            actor_id=request.sender_id,
        ),
    )


def on_introduction_accepted(event: IntroductionAccepted) -> None:
    """Only an acceptance is ever announced; a decline sends nothing at all."""
    request = db.session.get(IntroductionRequest, event.request_id)
    if request is None or request.conversation is None:
        return
    notify(
        [request.sender_id],
        Draft(
            kind="introduction",
            text=f"{who_did_it(request.recipient)} accepted your introduction request",
            url=path_for("messages.conversation", conversation_id=request.conversation.id),
            actor_id=request.recipient_id,
            conversation=request.conversation,
        ),
    )


def on_conversation_reported(event: ConversationReported) -> None:
    report = db.session.get(ConversationReport, event.report_id)
    if report is None:
        return
    moderators = db.session.scalars(select(Member.id).where(access.moderators_filter()))
    notify(
        moderators,
        Draft(
            kind="conversation_reported",
            text=f"{who_did_it(report.reporter)} reported a private conversation",
            url=path_for("messages.conversation", conversation_id=report.conversation_id),
            actor_id=report.reporter_id,
            conversation=report.conversation,
        ),
    )


def subscribe_all() -> None:
    subscribe(MessageSent, push_new_message)
    subscribe_queued(MessageSent, on_message_sent)
    subscribe(IntroductionRequested, on_introduction_requested)
    subscribe(IntroductionAccepted, on_introduction_accepted)
    subscribe_queued(ConversationReported, on_conversation_reported)
