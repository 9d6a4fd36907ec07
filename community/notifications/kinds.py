"""What members are told about, and how each kind reaches them unless they choose otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    """How one kind of notification reaches a member. Every channel but ``off`` also stores
    the notification for the in-app list; the email channels add an email or a digest entry."""

    APP = "app"
    EMAIL = "email"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.APP: "In the app only",
    Channel.EMAIL: "Email at once",
    Channel.DAILY: "Daily digest",
    Channel.WEEKLY: "Weekly digest",
    Channel.OFF: "Off",
}
DIGEST_CHANNELS = (Channel.DAILY, Channel.WEEKLY)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    default: Channel
    moderators_only: bool = False
    # How the notifications page shows it: an icon of static/img/icons.svg, a noun for one
    # and for many ("2 replies"), and for kinds done by a member to a thread or conversation,
    # what they did to it ("Ada Byron and 3 others replied to “Budgets”").
    icon: str = "notifications"
    one: str = "notification"
    many: str = "notifications"
    verb: str | None = None


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "reply",
            "Replies to my threads",
            Channel.EMAIL,
            icon="reply",
            one="reply",
            many="replies",
            verb="replied to",
        ),
        Kind(
            "mention",
            "Mentions of me",
            Channel.EMAIL,
            icon="mention",
            one="mention",
            many="mentions",
            verb="mentioned you in",
        ),
        Kind(
            "quote",
            "Quotes of my posts",
            Channel.APP,
            icon="quote",
            one="quote",
            many="quotes",
            verb="quoted you in",
        ),
        Kind(
            "reaction",
            "Reactions to my posts",
            Channel.APP,
            icon="like",
            one="reaction",
            many="reactions",
            verb="reacted to your post in",
        ),
        Kind(
            "watching",
            "New posts in threads and communities I watch",
            Channel.DAILY,
            icon="watch",
            one="new post",
            many="new posts",
            verb="posted in",
        ),
        Kind(
            "message",
            "Private messages to me",
            Channel.EMAIL,
            icon="mail",
            one="message",
            many="messages",
            verb="wrote to you in",
        ),
        Kind(
            "introduction",
            "Introduction requests and answers",
            Channel.EMAIL,
            icon="user-plus",
            one="introduction",
            many="introductions",
        ),
        Kind(
            "assigned",
            "Threads assigned to me",
            Channel.EMAIL,
            icon="check",
            one="request to respond",
            many="requests to respond",
            verb="asked you to respond to",
        ),
        Kind(
            "library_resource",
            "New library items in topics I follow",
            Channel.DAILY,
            icon="library",
            one="library item",
            many="library items",
        ),
        Kind(
            "invitation_accepted",
            "Someone I invited joined",
            Channel.APP,
            icon="user-plus",
            one="accepted invitation",
            many="accepted invitations",
        ),
        Kind(
            "policy_notice",
            "Membership policy changes",
            Channel.APP,
            icon="shield",
            one="policy change",
            many="policy changes",
        ),
        Kind(
            "announcement",
            "Announcements from the owners",
            Channel.APP,
            icon="megaphone",
            one="announcement",
            many="announcements",
        ),
        Kind(
            "standing",
            "Changes to my role or tier",
            Channel.EMAIL,
            icon="star",
            one="change of standing",
            many="changes of standing",
        ),
        Kind(
            "event_reminder",
            "Reminders of events I am going to",
            Channel.EMAIL,
            icon="calendar",
            one="event reminder",
            many="event reminders",
        ),
        Kind(
            "rsvp_promoted",
            "A place opened for me at an event",
            Channel.EMAIL,
            icon="calendar",
            one="place at an event",
            many="places at events",
        ),
        Kind(
            "request_waiting",
            "Membership requests waiting",
            Channel.DAILY,
            True,
            icon="user-plus",
            one="membership request",
            many="membership requests",
        ),
        Kind(
            "flag_raised",
            "Flags raised in communities I moderate",
            Channel.APP,
            True,
            icon="flag",
            one="flag",
            many="flags",
        ),
        Kind(
            "conversation_reported",
            "Private conversations reported",
            Channel.APP,
            True,
            icon="flag",
            one="reported conversation",
            many="reported conversations",
        ),
    )
}
# Not a notification of its own: what is new in the member's communities, for the digests.
COMMUNITY_DIGEST = Kind("community_digest", "What is new in my communities", Channel.WEEKLY)
DIGEST_CHOICES = (Channel.DAILY, Channel.WEEKLY, Channel.OFF)
