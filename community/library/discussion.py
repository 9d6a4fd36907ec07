"""Each published resource's discussion: a forum thread in the library community of exactly
the resource's tier. Raising the tier moves it up; lowering it opens a new one below and leaves
the old one where it was written (see ``keep_discussion_at_tier``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from community import access
from community.core.domain_events import ThreadCreated
from community.core.events import publish
from community.extensions import db
from community.forum.activity import record_visible_post
from community.forum.markdown import render_markdown
from community.forum.models import LIBRARY_CATEGORY, Community, Post, Thread
from community.forum.participants import note_participant
from community.forum.thread_moderation import relocate_thread
from community.library.models import Resource
from community.members.models import Member, Tier


def discussion_community(tier: Tier) -> Community:
    """Where a resource's discussion lives: the library community of exactly its tier.

    A thread is seen by everyone its community admits. Using a community whose minimum tier
    *equals* the resource's means the discussion is never visible to a wider audience than the
    resource, nor hidden from anyone who can read it. These communities ("Library · Council",
    slug ``library-council``) are created the first time a resource of that tier is published
    and found again by their category and tier, so an owner may rename or describe them, and
    one whose tier an owner changes is simply no longer used for the old tier.
    """
    community = db.session.scalar(
        select(Community)
        .where(Community.category == LIBRARY_CATEGORY, Community.min_tier_id == tier.id)
        .order_by(Community.archived_at.is_not(None), Community.id)
        .limit(1)
    )
    if community is None:
        slug = f"library-{tier.slug}"
        if db.session.scalar(select(Community.id).where(Community.slug == slug)) is not None:
            slug = f"{slug}-{tier.id}"  # an owner took the name for another community
        community = Community(
            slug=slug,
            name=f"Library · {tier.name}",
            description="Discussions of library resources.",
            category=LIBRARY_CATEGORY,
            min_tier=tier,
        )
        db.session.add(community)
        db.session.flush()
    return community


def open_discussion(resource: Resource, actor: Member | None, now: datetime) -> None:
    community = discussion_community(resource.min_tier)
    author = actor or resource.created_by or (resource.authors[0] if resource.authors else None)
    link = f"[Read “{resource.title}” in the library](/library/{resource.id})"
    body = f"{resource.summary}\n\n{link}" if resource.summary else link
    thread = Thread(
        community=community,
        resource_id=resource.id,
        author=author,
        title=resource.title,
        highest_post_number=1,
        post_count=1,
        last_posted_at=now,
        last_poster=author,
        created_at=now,
    )
    post = Post(
        thread=thread,
        number=1,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
    )
    db.session.add_all([thread, post])
    community.thread_count += 1
    community.post_count += 1
    community.last_posted_at = now
    db.session.flush()
    record_visible_post(community, thread, new_thread=True)
    note_participant(post, now)
    resource.thread_id = thread.id
    publish(ThreadCreated(thread_id=thread.id, post_id=post.id))


def keep_discussion_at_tier(resource: Resource, actor: Member | None, now: datetime) -> None:
    """After a tier change, keep the discussion no wider than the resource. Inside the caller's
    unit of work.

    Raising the tier moves the thread up: that only narrows who reads it. Lowering it never
    moves replies written for a higher tier down to a wider audience: the old thread stays in
    its community (still tied to the resource, so it follows the resource's visibility and is
    listed as an earlier discussion to those who may read it) and a new discussion opens in
    the library community of the new tier.
    """
    thread = resource.thread
    if thread is None or thread.community.min_tier_id == resource.min_tier.id:
        return
    if not access.no_wider_audience(resource.min_tier, thread.community.min_tier):
        relocate_thread(thread, discussion_community(resource.min_tier))
    else:
        open_discussion(resource, actor, now)
