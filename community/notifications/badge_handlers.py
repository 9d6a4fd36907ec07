"""Whatever changes who may open what marks the affected members' badges stale.

Each handler runs inside the changing transaction (``subscribe_in_transaction``), so the badge
can never show, even for a moment, a count for something its member may no longer open; it
marks only the members with unread rows about the changed object (one UPDATE, through the
partial indexes on unread rows). A queued task then counts and stores those badges again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select

from community.core.domain_events import (
    CommunityChanged,
    ConversationChanged,
    DomainEvent,
    EventChanged,
    MemberChanged,
    PostChanged,
    PostDeleted,
    ResourceChanged,
    ThreadChanged,
)
from community.core.events import subscribe_in_transaction
from community.core.outbox import subscribe_queued
from community.forum.models import Thread
from community.notifications.badge import mark_stale, readers_of_unread, recount_stale_badges
from community.notifications.models import Notification


def on_thread_changed(event: ThreadChanged) -> None:
    """Moved, held, released, deleted (or renamed: harmless, the recount agrees)."""
    mark_stale(readers_of_unread(Notification.thread_id == event.thread_id))


def on_post_changed(event: PostChanged | PostDeleted) -> None:
    mark_stale(readers_of_unread(Notification.post_id == event.post_id))


def on_community_changed(event: CommunityChanged) -> None:
    """Moved to another tier, archived or restored: every thread in it changed audience."""
    threads = select(Thread.id).where(Thread.community_id == event.community_id)
    mark_stale(readers_of_unread(Notification.thread_id.in_(threads)))


def on_resource_changed(event: ResourceChanged) -> None:
    """Its tier or state changed: the resource, and its discussion thread, which follows it."""
    discussion = select(Thread.id).where(Thread.resource_id == event.resource_id)
    mark_stale(
        readers_of_unread(
            or_(
                Notification.resource_id == event.resource_id,
                Notification.thread_id.in_(discussion),
            )
        )
    )


def on_event_changed(event: EventChanged) -> None:
    mark_stale(readers_of_unread(Notification.event_id == event.event_id))


def on_conversation_changed(event: ConversationChanged) -> None:
    mark_stale(readers_of_unread(Notification.conversation_id == event.conversation_id))


def on_member_changed(event: MemberChanged) -> None:
    """Their tier or role changed what they may open (or their profile did: harmless)."""
    mark_stale([event.member_id])


def recount_badges(event: DomainEvent) -> None:
    """In the job runner, seconds later: store the stale badges' new counts."""
    recount_stale_badges()


_MARKERS: tuple[tuple[type[Any], Callable[[Any], None]], ...] = (
    (ThreadChanged, on_thread_changed),
    (PostChanged, on_post_changed),
    (PostDeleted, on_post_changed),
    (CommunityChanged, on_community_changed),
    (ResourceChanged, on_resource_changed),
    (EventChanged, on_event_changed),
    (ConversationChanged, on_conversation_changed),
    (MemberChanged, on_member_changed),
)


def subscribe_all() -> None:
    for event_class, mark in _MARKERS:
        subscribe_in_transaction(event_class, mark)
        subscribe_queued(event_class, recount_badges)
