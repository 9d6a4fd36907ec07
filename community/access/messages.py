"""Private contact: who may message whom, who may ask for an introduction, and who may open a
conversation.

The consent rule, the same for every member whatever their role:

============================  ==========================  ==============================
recipient's preference        sender may message when     otherwise the sender may
============================  ==========================  ==============================
all members                   always                      (never needed)
members of my tier and above  sender's tier rank >= mine  ask for an introduction
nobody                        never                       nothing (no introductions)
============================  ==========================  ==============================

Nobody messages themselves or a member who is not active. A conversation is open to its
participants who have not left it, and to moderators while a report on it is open, which is
the only way a moderator ever reads a private conversation.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import exists, select

from community.access.members import can_see_profile
from community.access.roles import is_moderator
from community.core.errors import NotFound
from community.extensions import db
from community.members.models import ContactPreference, Member, MemberStatus
from community.messages.models import Conversation, ConversationMember, ConversationReport


class ContactOption(StrEnum):
    """What a member's contact button offers to a viewer."""

    MESSAGE = "message"
    INTRODUCE = "introduce"


def _reachable(sender: Member | Any, recipient: Member) -> bool:
    """Someone else, active, whose profile the sender may open: a member out of the sender's
    sight cannot be contacted, or the contact pages would tell that they exist."""
    return (
        bool(getattr(sender, "is_authenticated", False))
        and sender.id != recipient.id
        and recipient.status == MemberStatus.ACTIVE
        and can_see_profile(sender, recipient)
    )


def can_message(sender: Member | Any, recipient: Member) -> bool:
    """Whether ``sender`` may start a conversation with ``recipient`` (or add them to one)."""
    if not _reachable(sender, recipient):
        return False
    preference = recipient.contact_preference
    if preference == ContactPreference.ALL_MEMBERS:
        return True
    if preference == ContactPreference.TIER_AND_ABOVE:
        return bool(sender.tier.rank >= recipient.tier.rank)
    return False


def can_ask_introduction(sender: Member | Any, recipient: Member) -> bool:
    """Members who may not message someone may ask for an introduction, unless that someone
    chose "nobody": that choice means no contact of any kind."""
    if not _reachable(sender, recipient) or can_message(sender, recipient):
        return False
    return recipient.contact_preference != ContactPreference.NOBODY


def contact_option(viewer: Member | Any, member: Member) -> ContactOption | None:
    """The contact button on ``member``'s profile: message, ask for an introduction, or none."""
    if can_message(viewer, member):
        return ContactOption.MESSAGE
    if can_ask_introduction(viewer, member):
        return ContactOption.INTRODUCE
    return None


def participation(member: Member | Any, conversation: Conversation) -> ConversationMember | None:
    """The member's active place in the conversation, or None (never joined, or left)."""
    if not getattr(member, "is_authenticated", False):
        return None
    row = db.session.get(ConversationMember, (conversation.id, member.id))
    return row if row is not None and row.left_at is None else None


def has_open_report(conversation: Conversation) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    ConversationReport.conversation_id == conversation.id,
                    ConversationReport.resolved_at.is_(None),
                )
            )
        )
    )


def can_see_conversation(member: Member | Any, conversation: Conversation) -> bool:
    if participation(member, conversation) is not None:
        return True
    return is_moderator(member) and has_open_report(conversation)


def get_visible_conversation(member: Member | Any, conversation_id: int) -> Conversation:
    """The conversation, or NotFound: a conversation the member may not open does not exist
    for them."""
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not can_see_conversation(member, conversation):
        raise NotFound("There is no such conversation.")
    return conversation


def active_participants_filter(conversation_id: int) -> Any:
    """A WHERE clause on conversation members: those still in ``conversation_id``."""
    return (ConversationMember.conversation_id == conversation_id) & (
        ConversationMember.left_at.is_(None)
    )


def my_conversations_filter(member: Member) -> Any:
    """A WHERE clause on conversation members: the member's own active places (the SQL form of
    ``participation``)."""
    return member_conversations_filter(member.id)


def member_conversations_filter(member_id: Any) -> Any:
    """``my_conversations_filter`` on a member's id, or on a bound parameter standing for one
    (a statement built once and run for each member)."""
    return (ConversationMember.member_id == member_id) & ConversationMember.left_at.is_(None)
