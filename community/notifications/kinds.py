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


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("reply", "Replies to my threads", Channel.EMAIL),
        Kind("mention", "Mentions of me", Channel.EMAIL),
        Kind("quote", "Quotes of my posts", Channel.APP),
        Kind("reaction", "Reactions to my posts", Channel.APP),
        Kind("watching", "New posts in threads and communities I watch", Channel.DAILY),
        Kind("message", "Private messages to me", Channel.EMAIL),
        Kind("introduction", "Introduction requests and answers", Channel.EMAIL),
        Kind("assigned", "Threads assigned to me", Channel.EMAIL),
        Kind("library_resource", "New library items in topics I follow", Channel.DAILY),
        Kind("invitation_accepted", "Someone I invited joined", Channel.APP),
        Kind("policy_notice", "Membership policy changes", Channel.APP),
        Kind("announcement", "Announcements from the owners", Channel.APP),
        Kind("standing", "Changes to my role or tier", Channel.EMAIL),
        Kind("event_reminder", "Reminders of events I am going to", Channel.EMAIL),
        Kind("rsvp_promoted", "A place opened for me at an event", Channel.EMAIL),
        Kind("request_waiting", "Membership requests waiting", Channel.DAILY, True),
        Kind("flag_raised", "Flags raised in communities I moderate", Channel.APP, True),
        Kind("conversation_reported", "Private conversations reported", Channel.APP, True),
    )
}
# Not a notification of its own: what is new in the member's communities, for the digests.
COMMUNITY_DIGEST = Kind("community_digest", "What is new in my communities", Channel.WEEKLY)
DIGEST_CHOICES = (Channel.DAILY, Channel.WEEKLY, Channel.OFF)
