"""Discussions: which communities, threads and posts a member may see, and who may read them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, select

from community.access.library import (
    can_see_discussed_resource,
    discussed_resource_filter,
    discussed_resource_readers_filter,
)
from community.access.roles import MODERATOR_ROLES, is_moderator, is_owner, tier_admits
from community.core.errors import NotFound, PermissionDenied
from community.extensions import db
from community.forum.models import ChapterLead, Community, Post, Thread
from community.members.models import Member, Tier

# --- Discussions -------------------------------------------------------------------------
# Owners see every community; everyone else, moderators included, sees what their tier
# reaches. A hidden community, thread or post answers 404, exactly like one that does not exist.


def visible_communities(member: Member) -> Select[tuple[Community]]:
    """Communities the member may open, not archived, in the owners' order."""
    query = (
        select(Community)
        .join(Community.min_tier)
        .where(Community.archived_at.is_(None))
        .order_by(Community.category, Community.position, Community.name)
    )
    if not is_owner(member):
        query = query.where(Tier.rank <= member.tier.rank)
    return query


def can_see_community(member: Member, community: Community) -> bool:
    if community.archived_at is not None and not is_owner(member):
        return False
    return is_owner(member) or tier_admits(member, community.min_tier)


def can_moderate_community(member: Member, community: Community) -> bool:
    """Moderators everywhere they can see; chapter leads only in their own community."""
    if not can_see_community(member, community):
        return False
    return is_moderator(member) or any(lead.id == member.id for lead in community.leads)


def is_chapter_lead(member: Member | Any) -> bool:
    """Leads at least one chapter (and so works the flag queue for it)."""
    if not getattr(member, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(exists().where(ChapterLead.member_id == member.id))))


def can_see_thread(member: Member, thread: Thread) -> bool:
    """Deleted threads show to moderators only; threads held after flags also to their author,
    who is told why."""
    if not can_see_community(member, thread.community):
        return False
    if not can_see_discussed_resource(member, thread):
        return False
    if thread.deleted_at is None and not thread.is_held:
        return True
    if can_moderate_community(member, thread.community):
        return True
    return thread.deleted_at is None and thread.author_id == member.id


def check_can_reply(member: Member, thread: Thread) -> None:
    """A closed thread takes no replies from anyone (a moderator reopens it first); a locked
    one takes them from the community's moderators only."""
    if thread.is_closed:
        raise PermissionDenied("This thread is closed; reopen it to reply.")
    if thread.locked and not can_moderate_community(member, thread.community):
        raise PermissionDenied("This thread is locked: only moderators may post.")


def can_reopen_thread(member: Member, thread: Thread) -> bool:
    """A closed thread is reopened by the community's moderators (chapter leads included), or
    by its author when the author closed it: a moderator's close is not the author's to undo."""
    if not thread.is_closed or not can_see_thread(member, thread):
        return False
    if can_moderate_community(member, thread.community):
        return True
    return thread.author_id == member.id and thread.closed_by_id == member.id


def can_see_post(member: Member, post: Post, moderator: bool | None = None) -> bool:
    """Within a visible thread: deleted and held posts show only to their author and moderators.

    ``moderator`` may be passed in when the caller already knows it for the whole thread.
    """
    if post.deleted_at is None and not post.is_held:
        return True
    if moderator is None:
        moderator = can_moderate_community(member, post.thread.community)
    return moderator or (post.author_id == member.id and post.deleted_at is None)


def _in_visible_communities(member: Member) -> Any:

    community_ids = (
        select(Community.id).join(Community.min_tier).where(Community.archived_at.is_(None))
    )
    if not is_owner(member):
        community_ids = community_ids.where(Tier.rank <= member.tier.rank)
    return Thread.community_id.in_(community_ids)


def visible_threads_filter(member: Member) -> Any:
    """A WHERE clause limiting threads to communities the member sees (for joined queries),
    leaving out deleted threads and threads held after flags (their author reaches a held
    thread by its page only)."""
    return (
        _in_visible_communities(member)
        & discussed_resource_filter(member)
        & Thread.deleted_at.is_(None)
        & (Thread.held_reason == "")
    )


def moderated_threads_filter(member: Member) -> Any:
    """A WHERE clause limiting threads to communities the member moderates: every visible one
    for moderators, all for owners, and their own chapters for chapter leads. Held threads are
    included: moderators review them."""
    if is_owner(member):
        return Thread.id.is_not(None)
    live = (
        _in_visible_communities(member)
        & discussed_resource_filter(member)
        & Thread.deleted_at.is_(None)
    )
    if is_moderator(member):
        return live
    lead_of = select(ChapterLead.community_id).where(ChapterLead.member_id == member.id)
    return live & Thread.community_id.in_(lead_of)


# --- Who could read it: for suggestions of whom to mention -------------------------------------


def community_readers_filter(community: Community) -> Any:
    """A WHERE clause on members: those who may open the community (the SQL form of
    ``can_see_community``, for the other side of the question)."""
    owners = Member.role == "owner"
    if community.archived_at is not None:
        return owners
    admitted = select(Tier.id).where(Tier.rank >= community.min_tier.rank)
    return owners | Member.tier_id.in_(admitted)


def thread_readers_filter(thread: Thread) -> Any:
    """Members who may open the thread: its community's readers, narrowed to its moderators
    (and, for a held thread, its author) when it is deleted or held (``can_see_thread``)."""
    readers = community_readers_filter(thread.community) & discussed_resource_readers_filter(thread)
    if thread.deleted_at is None and not thread.is_held:
        return readers
    leads = select(ChapterLead.member_id).where(ChapterLead.community_id == thread.community_id)
    allowed = Member.role.in_(MODERATOR_ROLES) | Member.id.in_(leads)
    if thread.deleted_at is None:
        allowed = allowed | (Member.id == thread.author_id)
    return readers & allowed


# --- Lookups: an object by id, or NotFound when it is missing or out of sight -----------------


def get_visible_thread(member: Member, thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    if thread is None or not can_see_thread(member, thread):
        raise NotFound("There is no such thread.")
    return thread


def get_visible_post(member: Member, post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not can_see_thread(member, post.thread) or not can_see_post(member, post):
        raise NotFound("There is no such post.")
    return post
