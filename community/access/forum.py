"""Discussions: which communities, threads and posts a member may see, and who may read them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, select

from community.access.library import (
    can_see_discussed_resource,
    discussed_resource_filter,
    discussed_resource_readers_filter,
)
from community.access.roles import (
    admitted_tiers_filter,
    is_moderator,
    is_owner,
    moderators_filter,
    tier_admits,
    tier_readers_filter,
)
from community.core.errors import NotFound
from community.extensions import db
from community.forum.models import ChapterLead, Community, Post, PostImage, Thread
from community.members.models import Member

# --- Discussions -------------------------------------------------------------------------
# Owners see every community; everyone else, moderators included, sees what their tier
# reaches. A hidden community, thread or post answers 404, exactly like one that does not exist.


def visible_communities(member: Member) -> Select[Community]:
    """Communities the member may open, not archived, in the owners' order."""
    query = (
        select(Community)
        .join(Community.min_tier)
        .where(Community.archived_at.is_(None))
        .order_by(Community.category, Community.position, Community.name)
    )
    if not is_owner(member):
        query = query.where(admitted_tiers_filter(member))
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


def works_review_queue(member: Member | Any) -> bool:
    """Moderators work the flag and held-post queue everywhere, chapter leads for their own
    chapters (``moderated_threads_filter`` narrows what each sees there)."""
    return is_moderator(member) or is_chapter_lead(member)


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
    if is_seen_by_every_reader(post):
        return True
    if moderator is None:
        moderator = can_moderate_community(member, post.thread.community)
    return moderator or (post.author_id == member.id and post.deleted_at is None)


def can_see_post_image(member: Member, image: PostImage) -> bool:
    """A picture pasted into the composer: its uploader's alone until a post of theirs shows
    it; then exactly whoever may see that post. As Discourse does, a deleted post takes its
    pictures out of every member's sight, its uploader's included, and the moderators who may
    still read the deleted post may still see them."""
    post = image.post
    if post is None:
        return bool(image.uploader_id == member.id)
    return can_see_thread(member, post.thread) and can_see_post(member, post)


def is_seen_by_every_reader(post: Post) -> bool:
    """Neither deleted nor held: every reader of the thread sees the post."""
    return post.deleted_at is None and not post.is_held


def posts_every_reader_sees_filter() -> Any:
    """A WHERE clause on posts, the SQL form of ``is_seen_by_every_reader``."""
    return Post.deleted_at.is_(None) & (Post.held_reason == "")


def visible_posts_filter(member: Member, moderator: bool) -> Any:
    """A WHERE clause on the posts of one visible thread, the SQL form of ``can_see_post``:
    ``moderator`` is whether the member moderates the thread's community."""
    if moderator:
        return Post.id.is_not(None)
    # Deleted posts vanish for members; held posts show only to their author.
    return Post.deleted_at.is_(None) & ((Post.held_reason == "") | (Post.author_id == member.id))


def _in_visible_communities(member: Member) -> Any:
    community_ids = (
        select(Community.id).join(Community.min_tier).where(Community.archived_at.is_(None))
    )
    if not is_owner(member):
        community_ids = community_ids.where(admitted_tiers_filter(member))
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
    return owners | tier_readers_filter(community.min_tier)


def community_moderators_filter(community: Community) -> Any:
    """A WHERE clause on members: those who moderate the community, the SQL form of
    ``can_moderate_community`` (moderators and owners who see it, and its chapter leads)."""
    leads = select(ChapterLead.member_id).where(ChapterLead.community_id == community.id)
    return community_readers_filter(community) & (moderators_filter() | Member.id.in_(leads))


def thread_readers_filter(thread: Thread) -> Any:
    """Members who may open the thread: its community's readers, narrowed to its moderators
    (and, for a held thread, its author) when it is deleted or held (``can_see_thread``)."""
    readers = community_readers_filter(thread.community) & discussed_resource_readers_filter(thread)
    if thread.deleted_at is None and not thread.is_held:
        return readers
    allowed = community_moderators_filter(thread.community)
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
