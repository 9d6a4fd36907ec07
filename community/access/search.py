"""Search: who may find what, stated once for the index and for the database fallback.

Each searchable object gets an ``Audience``: the lowest tier rank that reaches it and the
reasons (if any) nobody may find it (deleted, held, archived, unpublished...). The index stores
both on every document, so the search engine filters inside its own query and the counts and
pages it answers never include hidden objects. Search is stricter than the pages: a held post
shows to its author on the thread page, but nobody finds it; an owner opens an archived
community, but nobody finds it.

Member directory: today every active member is listed to every member. Profile visibility
(``directory_visibility``, coming with the member profiles) plugs in at ``member_audience``
and ``findable_members_filter`` alone: "my tier and above" becomes ``min_rank`` = the
member's own rank, "hidden from the directory" a hiding reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from community.access.events import can_see_event, visible_events_filter
from community.access.forum import (
    can_see_post,
    can_see_thread,
    posts_every_reader_sees_filter,
    visible_threads_filter,
)
from community.access.library import can_see_resource, visible_resources_filter
from community.access.roles import is_owner
from community.events.models import Event
from community.extensions import db
from community.forum.models import Post, Thread
from community.library.models import Resource, Status
from community.members.models import Member, MemberStatus


@dataclass(frozen=True)
class Audience:
    """Who may find an object: members whose tier rank is at least ``min_rank``, and nobody
    at all while ``hidden_because`` names a reason."""

    min_rank: int
    hidden_because: tuple[str, ...] = ()

    @property
    def findable(self) -> bool:
        return not self.hidden_because


@dataclass(frozen=True)
class SearchScope:
    """What a searcher reaches: tiers up to ``max_rank`` (None: every tier, for owners).
    Equal scopes share one cached filter in the index."""

    max_rank: int | None

    @property
    def key(self) -> str:
        return "all" if self.max_rank is None else f"rank<={self.max_rank}"

    def admits(self, audience: Audience) -> bool:
        if not audience.findable:
            return False
        return self.max_rank is None or audience.min_rank <= self.max_rank


def search_scope(member: Member) -> SearchScope:
    return SearchScope(max_rank=None if is_owner(member) else member.tier.rank)


def thread_audience(thread: Thread) -> Audience:
    """The community's tier and, for a resource's discussion, the resource's."""
    reasons = []
    rank = thread.community.min_tier.rank
    if thread.deleted_at is not None:
        reasons.append("deleted")
    if thread.is_held:
        reasons.append("held")
    if thread.community.archived_at is not None:
        reasons.append("archived")
    if thread.resource_id is not None:
        resource = db.session.get(Resource, thread.resource_id)
        if resource is not None:
            rank = max(rank, resource.min_tier.rank)
            if resource.status != Status.PUBLISHED.value:
                reasons.append("unpublished")
    return Audience(rank, tuple(reasons))


def post_audience(post: Post, thread_audience_: Audience | None = None) -> Audience:
    """The thread's audience, narrowed by the post's own state."""
    audience = thread_audience_ or thread_audience(post.thread)
    reasons = list(audience.hidden_because)
    if post.deleted_at is not None:
        reasons.append("deleted")
    if post.is_held:
        reasons.append("held")
    return Audience(audience.min_rank, tuple(reasons))


def resource_audience(resource: Resource) -> Audience:
    hidden = () if resource.status == Status.PUBLISHED.value else (resource.status,)
    return Audience(resource.min_tier.rank, hidden)


def event_audience(event: Event) -> Audience:
    return Audience(event.min_tier.rank)


def member_audience(member: Member) -> Audience:
    """Active members are listed to everyone (the hook for directory visibility)."""
    hidden = () if member.status == MemberStatus.ACTIVE.value else (member.status,)
    return Audience(0, hidden)


def can_find(member: Member, obj: Thread | Post | Resource | Event | Member) -> bool:
    """The check every search hit passes again before it is shown: the audience the index
    should have filtered on, and the pages' own predicate on top (defence in depth)."""
    scope = search_scope(member)
    if isinstance(obj, Thread):
        return scope.admits(thread_audience(obj)) and can_see_thread(member, obj)
    if isinstance(obj, Post):
        return (
            scope.admits(post_audience(obj))
            and can_see_thread(member, obj.thread)
            and can_see_post(member, obj)
        )
    if isinstance(obj, Resource):
        return scope.admits(resource_audience(obj)) and can_see_resource(member, obj)
    if isinstance(obj, Event):
        return scope.admits(event_audience(obj)) and can_see_event(member, obj)
    return scope.admits(member_audience(obj))


# --- The SQL forms, for the database fallback -------------------------------------------------


def _published_discussion_filter() -> Any:
    published = select(Resource.id).where(Resource.status == Status.PUBLISHED.value)
    return Thread.resource_id.is_(None) | Thread.resource_id.in_(published)


def findable_threads_filter(member: Member) -> Any:
    """A WHERE clause on threads, the SQL form of ``can_find`` for threads."""
    return visible_threads_filter(member) & _published_discussion_filter()


def findable_posts_filter(member: Member) -> Any:
    """A WHERE clause on posts joined to their thread."""
    return findable_threads_filter(member) & posts_every_reader_sees_filter()


def findable_resources_filter(member: Member) -> Any:
    return visible_resources_filter(member)


def findable_events_filter(member: Member) -> Any:
    return visible_events_filter(member)


def findable_members_filter(_member: Member) -> Any:
    """A WHERE clause on members, the SQL form of ``member_audience`` (the searcher's tier will
    matter once profiles carry a directory visibility)."""
    return Member.status == MemberStatus.ACTIVE.value
