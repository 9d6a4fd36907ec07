"""The catalogue of domain events: one frozen dataclass per thing that happened.

``publish`` and ``subscribe`` (``core/events.py``) accept only the classes listed in
``CATALOGUE``, so a misspelt or invented event fails at once instead of reaching nobody.
Events carry ids and small values only, never models: a handler runs after the commit (or
later, in the job runner) and reloads what it needs, and a queued event is stored as JSON.
Each event checks its field types when it is built, so ``PostCreated(post_id=post)`` (a model
where an id belongs) fails in the publisher, not in a handler minutes later.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, get_type_hints


@dataclass(frozen=True)
class DomainEvent:
    """The base of every event; not itself publishable."""

    _field_types: ClassVar[dict[type, dict[str, Any]]] = {}

    def __post_init__(self) -> None:
        cls = type(self)
        hints = DomainEvent._field_types.get(cls)
        if hints is None:
            hints = DomainEvent._field_types[cls] = get_type_hints(cls)
        for field in fields(self):
            value = getattr(self, field.name)
            # ``bool`` is an ``int`` to isinstance; an id is never a truth value.
            if not isinstance(value, hints[field.name]) or isinstance(value, bool):
                raise TypeError(
                    f"{cls.__name__}.{field.name} must be {hints[field.name]}, "
                    f"not {type(value).__name__}"
                )


# --- Forum ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadCreated(DomainEvent):
    thread_id: int
    post_id: int  # the thread's first post


@dataclass(frozen=True)
class PostCreated(DomainEvent):
    post_id: int


@dataclass(frozen=True)
class PostEdited(DomainEvent):
    post_id: int
    editor_id: int


@dataclass(frozen=True)
class PostDeleted(DomainEvent):
    post_id: int
    actor_id: int


@dataclass(frozen=True)
class MemberMentioned(DomainEvent):
    post_id: int
    member_id: int  # the member mentioned, who may open the thread


@dataclass(frozen=True)
class ReactionAdded(DomainEvent):
    post_id: int
    member_id: int  # who reacted
    kind: str  # a ``ReactionKind`` value


@dataclass(frozen=True)
class ReactionWithdrawn(DomainEvent):
    """A reaction taken back: the figures of the day it was given change."""

    post_id: int
    member_id: int  # who had reacted
    kind: str
    given_on: str  # the UTC day the reaction was given, YYYY-MM-DD


@dataclass(frozen=True)
class ThreadClosed(DomainEvent):
    thread_id: int
    actor_id: int


@dataclass(frozen=True)
class ThreadAssigned(DomainEvent):
    thread_id: int
    assignee_id: int
    actor_id: int


@dataclass(frozen=True)
class ThreadChanged(DomainEvent):
    """Its title, community, or state (held, released, deleted) changed: who may find it and
    its posts may have changed with it."""

    thread_id: int


@dataclass(frozen=True)
class PostChanged(DomainEvent):
    """Held, released or deleted by a moderator's decision (edits publish ``PostEdited``)."""

    post_id: int


@dataclass(frozen=True)
class CommunityChanged(DomainEvent):
    """Created, renamed, moved to another tier, archived or restored."""

    community_id: int


# --- Moderation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagRaised(DomainEvent):
    flag_id: int
    thread_id: int  # the flagged thread, or the flagged post's thread
    post_id: int | None = None  # None when the whole thread was flagged


# --- Members and membership -----------------------------------------------------------------


@dataclass(frozen=True)
class MembershipRequested(DomainEvent):
    request_id: int


@dataclass(frozen=True)
class MemberJoined(DomainEvent):
    member_id: int
    referrer_id: int | None


@dataclass(frozen=True)
class MemberSignedOut(DomainEvent):
    member_id: int
    session_hash: str | None = None  # one session ended; None: every session of the member


@dataclass(frozen=True)
class MemberChanged(DomainEvent):
    """Their profile, tier, role or status changed (revoked, suspended, reinstated)."""

    member_id: int


@dataclass(frozen=True)
class MemberDeleted(DomainEvent):
    """The member deleted their account: the row stays, scrubbed, as "Former member"; what
    others keep about them (the search index) must drop every trace of the old data."""

    member_id: int


@dataclass(frozen=True)
class RoleChanged(DomainEvent):
    """An owner gave the member another role (``role``: the new one)."""

    member_id: int
    role: str


@dataclass(frozen=True)
class TierChanged(DomainEvent):
    """An owner moved the member to another tier."""

    member_id: int
    tier_id: int


@dataclass(frozen=True)
class AnnouncementMade(DomainEvent):
    """An owners' notice to every active member, or to those whose tier reaches ``tier_id``."""

    text: str
    url: str
    tier_id: int | None


@dataclass(frozen=True)
class PolicyChanged(DomainEvent):
    version: int
    summary: str


# --- Private messages ----------------------------------------------------------------------


@dataclass(frozen=True)
class MessageSent(DomainEvent):
    message_id: int


@dataclass(frozen=True)
class IntroductionRequested(DomainEvent):
    request_id: int


@dataclass(frozen=True)
class IntroductionAccepted(DomainEvent):
    request_id: int


@dataclass(frozen=True)
class ConversationReported(DomainEvent):
    report_id: int


@dataclass(frozen=True)
class ConversationChanged(DomainEvent):
    """Who may open it changed: a member left, or its reports were resolved (moderators
    open a conversation only while a report on it is open)."""

    conversation_id: int


# --- Library and events ---------------------------------------------------------------------


@dataclass(frozen=True)
class ResourcePublished(DomainEvent):
    resource_id: int
    actor_id: int | None  # None when the schedule published it


@dataclass(frozen=True)
class ResourceChanged(DomainEvent):
    """Created, edited, or moved through the workflow (published, archived...)."""

    resource_id: int


@dataclass(frozen=True)
class EventChanged(DomainEvent):
    """Created, edited or cancelled."""

    event_id: int


@dataclass(frozen=True)
class EventReminderDue(DomainEvent):
    event_id: int


@dataclass(frozen=True)
class RsvpPromoted(DomainEvent):
    event_id: int
    member_id: int  # moved from the waiting list to "going"


CATALOGUE: frozenset[type[DomainEvent]] = frozenset(
    {
        ThreadCreated,
        PostCreated,
        PostEdited,
        PostDeleted,
        MemberMentioned,
        ReactionAdded,
        ReactionWithdrawn,
        ThreadClosed,
        ThreadAssigned,
        ThreadChanged,
        PostChanged,
        CommunityChanged,
        FlagRaised,
        MembershipRequested,
        MemberJoined,
        MemberSignedOut,
        MemberChanged,
        MemberDeleted,
        RoleChanged,
        TierChanged,
        AnnouncementMade,
        PolicyChanged,
        MessageSent,
        IntroductionRequested,
        IntroductionAccepted,
        ConversationReported,
        ConversationChanged,
        ResourcePublished,
        ResourceChanged,
        EventChanged,
        EventReminderDue,
        RsvpPromoted,
    }
)


def check_catalogued(event_class: object) -> type[DomainEvent]:
    """Return ``event_class`` if it is a catalogued event class; raise TypeError otherwise."""
    if not isinstance(event_class, type) or event_class not in CATALOGUE:
        raise TypeError(
            f"{event_class!r} is not a catalogued domain event (see core/domain_events.py)"
        )
    return event_class
