"""Private conversations and introduction requests; each commits what it makes."""

from __future__ import annotations

from community.core.events import commit
from community.forum.markdown import parse_post
from community.members.models import Member
from community.messages.conversations import open_conversation
from community.messages.models import Conversation


def make_conversation(
    starter: Member, *others: Member, body: str = "Hello there.", subject: str = "Catching up"
) -> Conversation:
    """A conversation as if it were started, without the consent and rate checks (those have
    tests of their own)."""
    conversation = open_conversation(starter, list(others), subject, body, parse_post(body))
    commit()
    return conversation


def set_preference(member: Member, preference: str) -> Member:
    member.contact_preference = preference
    commit()
    return member
