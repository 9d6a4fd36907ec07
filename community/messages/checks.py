"""The checks private contact passes before it is saved: lengths, the Markdown formatting
budget the forum uses, rates counted in the database (so they hold across app processes), and
the sales-pitch check on first contact (an introduction note, a conversation's first message).

A pitch is refused rather than held for review, with the reasons and the text kept: a held
private message would need a moderator to read it, and moderators read a conversation only
when a participant reports it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from community import access
from community.core.clock import utcnow
from community.core.cpu import run_off_event_loop
from community.core.errors import DomainError, RateLimited
from community.core.links import find_bare_urls
from community.extensions import db
from community.forum.markdown import ParsedPost, parse_post
from community.forum.markup_budget import MAX_WEIGHT, markup_weight
from community.forum.pitch_rules import get_current_rules
from community.forum.posting import is_new_member
from community.forum.sales_pitch import PostContext, assess
from community.members.models import Member
from community.messages.models import Conversation, IntroductionRequest, Message

MAX_SUBJECT = 200
MAX_MESSAGE = 20_000
MAX_NOTE = 500
MAX_PARTICIPANTS = 20

# Rates (a member's own, counted in the database).
MESSAGES_PER_MINUTE = 10
CONVERSATIONS_PER_DAY = 10
INTRODUCTIONS_PER_DAY = 5
RECENT_FIRST_CONTACTS_COMPARED = 5  # the same pitch sent to many people is a signal


def check_subject(subject: str) -> str:
    subject = " ".join(subject.split())
    if len(subject) > MAX_SUBJECT:
        raise DomainError(f"Keep the subject under {MAX_SUBJECT} characters.", field="subject")
    return subject


def parse_message(body: str) -> ParsedPost:
    """Check a message's length and formatting, then parse it once (the forum's parser)."""
    if not body.strip():
        raise DomainError("Write something first.", field="body")
    if len(body) > MAX_MESSAGE:
        raise DomainError(f"Keep messages under {MAX_MESSAGE:,} characters.", field="body")
    # Checked before parsing, so an absurd message never costs the server its parse.
    weight = markup_weight(body)
    if weight > MAX_WEIGHT:
        raise DomainError(
            "This message has too much formatting to send: brackets, asterisks, underscores, "
            f"backticks and other marks (weight {weight:,}; the limit is {MAX_WEIGHT:,}). "
            "Put code between ``` lines, where it does not count, or split it in two.",
            field="body",
        )
    return run_off_event_loop(parse_post, body)


def check_note(note: str) -> str:
    """An introduction note: a few plain sentences, one paragraph."""
    note = " ".join(note.split())
    if not note:
        raise DomainError("Say in a sentence or two why you would like to talk.", field="note")
    if len(note) > MAX_NOTE:
        raise DomainError(f"Keep the note under {MAX_NOTE} characters.", field="note")
    return note


def _seconds_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - utcnow()).total_seconds()))


def _check_rate(
    created_at: Any, author: Any, member: Member, limit: int, window: timedelta, message: str
) -> None:
    since = utcnow() - window
    recent: Sequence[Any] = db.session.scalars(
        select(created_at)
        .where(author == member.id, created_at >= since)
        .order_by(created_at.desc())
        .limit(limit)
    ).all()
    if len(recent) >= limit:
        raise RateLimited(message, retry_after=_seconds_until(recent[-1] + window))


def check_message_rate(member: Member) -> None:
    _check_rate(
        Message.created_at,
        Message.author_id,
        member,
        MESSAGES_PER_MINUTE,
        timedelta(minutes=1),
        f"You can send {MESSAGES_PER_MINUTE} messages a minute. Your text is kept below; "
        "send it again in a moment.",
    )


def check_conversation_rate(member: Member) -> None:
    if access.is_moderator(member):
        return  # moderators reach out to members as part of their work
    _check_rate(
        Conversation.created_at,
        Conversation.starter_id,
        member,
        CONVERSATIONS_PER_DAY,
        timedelta(days=1),
        f"You can start {CONVERSATIONS_PER_DAY} conversations a day. Your text is kept below; "
        "try again tomorrow, or write in a conversation you already have.",
    )


def check_introduction_rate(member: Member) -> None:
    _check_rate(
        IntroductionRequest.created_at,
        IntroductionRequest.sender_id,
        member,
        INTRODUCTIONS_PER_DAY,
        timedelta(days=1),
        f"You can ask for {INTRODUCTIONS_PER_DAY} introductions a day. Your note is kept "
        "below; send it tomorrow.",
    )


def _recent_first_contacts(member: Member) -> tuple[str, ...]:
    notes = db.session.scalars(
        select(IntroductionRequest.note)
        .where(IntroductionRequest.sender_id == member.id)
        .order_by(IntroductionRequest.created_at.desc())
        .limit(RECENT_FIRST_CONTACTS_COMPARED)
    )
    firsts = db.session.scalars(
        select(Message.body)
        .where(Message.author_id == member.id, Message.number == 1)
        .order_by(Message.created_at.desc())
        .limit(RECENT_FIRST_CONTACTS_COMPARED)
    )
    return (*notes, *firsts)


def check_not_a_pitch(member: Member, text: str, parsed: ParsedPost | None, field: str) -> None:
    """Refuse a first contact that reads as a sales pitch, saying why."""
    assessment = run_off_event_loop(
        assess,
        PostContext(
            text=text,
            author_email_domain=member.email.rsplit("@", 1)[-1],
            author_company=member.company,
            author_is_new=is_new_member(member),
            recent_texts=_recent_first_contacts(member),
            links=parsed.links if parsed is not None else tuple(find_bare_urls(text)),
            prose=parsed.prose if parsed is not None else text,
        ),
        None,  # the threshold: the rules' own
        get_current_rules(),
    )
    if assessment.held:
        reasons = "; ".join(signal.explanation for signal in assessment.signals)
        raise DomainError(
            "Council is for education, not sales, and first contact is where that matters "
            f"most. This reads as a sales pitch ({reasons}). Rewrite it and send it again.",
            field=field,
        )
