"""Whatever changes who may open what marks the affected members' badges stale.

Each handler runs inside the changing transaction (``subscribe_in_transaction``), so the badge
can never show, even for a moment, a count for something its member may no longer open; it
marks only the members with unread rows about the changed object (one UPDATE, through the
partial indexes on unread rows), and their next read counts again.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from community.core.domain_events import (
    CommunityChanged,
    ConversationChanged,
    EventChanged,
    MemberChanged,
    PostChanged,
    PostDeleted,
    ResourceChanged,
    ThreadChanged,
)
from community.core.events import subscribe_in_transaction
from community.forum.models import Thread
from community.notifications.badge import mark_stale, readers_of_unread
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


def subscribe_all() -> None:
    subscribe_in_transaction(ThreadChanged, on_thread_changed)
    subscribe_in_transaction(PostChanged, on_post_changed)
    subscribe_in_transaction(PostDeleted, on_post_changed)
    subscribe_in_transaction(CommunityChanged, on_community_changed)
    subscribe_in_transaction(ResourceChanged, on_resource_changed)
    subscribe_in_transaction(EventChanged, on_event_changed)
    subscribe_in_transaction(ConversationChanged, on_conversation_changed)
    subscribe_in_transaction(MemberChanged, on_member_changed)
