"""Domain events in, notifications out: who hears about what.

Each handler runs after the publishing transaction committed, reloads what it needs, picks the
recipients and hands one ``Draft`` per kind to ``notify``, which checks access for each of them.
When one post concerns a member in several ways, they hear the strongest: a mention, then a
quote, then a reply to their thread, then activity in something they watch.

Where a handler runs (see ``subscribe_all``): work whose recipients grow with the membership
(watchers, mentions, moderators, everyone) is queued for the job runner, so the request that
posted only writes one task row; telling one known member, pushing to one thread room and
cutting a session stay right after the commit.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import replace

from sqlalchemy import select

from community import access
from community.core.domain_events import (
    FlagRaised,
    MemberJoined,
    MemberMentioned,
    MembershipRequested,
    MemberSignedOut,
    PolicyChanged,
    PostCreated,
    ReactionAdded,
    ThreadAssigned,
    ThreadCreated,
)
from community.core.events import subscribe
from community.core.outbox import subscribe_queued
from community.core.urls import path_for
from community.extensions import db
from community.forum.models import (
    Mention,
    Post,
    ReadPosition,
    Thread,
    ThreadWatch,
    WatchLevel,
)
from community.forum.watching import chosen_levels
from community.members.models import Member, MemberStatus
from community.membership.models import MembershipRequest, RequestStatus
from community.notifications import live
from community.notifications.services import Draft, notify, who_did_it


def _post_path(post: Post) -> str:
    return path_for("forum.post", post_id=post.id)


def _watchers_yet_to_see(post: Post, told: AbstractSet[int | None]) -> list[int]:
    """Members watching the post's thread who were not told otherwise and have not read this
    far: this runs in the worker, seconds later, and a member who replied or read the thread
    meanwhile (and so started watching it) has already seen the post."""
    seen = set(
        db.session.scalars(
            select(ReadPosition.member_id).where(
                ReadPosition.thread_id == post.thread_id,
                ReadPosition.last_read_number >= post.number,
            )
        )
    )
    skip = told | seen
    return [
        member_id
        for member_id, level in chosen_levels(post.thread).items()
        if level == WatchLevel.WATCHING and member_id not in skip
    ]


def on_thread_created(event: ThreadCreated) -> None:
    thread = db.session.get(Thread, event.thread_id)
    post = db.session.get(Post, event.post_id)
    if thread is None or post is None:
        return
    # The community's watchers; a member who set a level on the thread itself already knew it.
    chose_for_thread = set(
        db.session.scalars(select(ThreadWatch.member_id).where(ThreadWatch.thread_id == thread.id))
    )
    watchers = _watchers_yet_to_see(post, chose_for_thread)
    notify(
        watchers,
        Draft(
            kind="watching",
            text=f"{who_did_it(thread.author)} started “{thread.title}” in {thread.community.name}",
            url=path_for("forum.thread", thread_id=thread.id),
            actor_id=thread.author_id,
            thread=thread,
            post=post,
        ),
    )


def push_new_post(event: PostCreated) -> None:
    """Tell the thread's open pages at once; a held post waits for its review."""
    post = db.session.get(Post, event.post_id)
    if post is not None and not post.is_held:
        live.push_post(post.thread_id, post.number)


def on_post_created(event: PostCreated) -> None:
    post = db.session.get(Post, event.post_id)
    if post is None:
        return
    thread = post.thread
    if post.number == 1:
        return  # a new thread: on_thread_created tells the community's watchers
    mentioned = set(db.session.scalars(select(Mention.member_id).where(Mention.post_id == post.id)))
    told = mentioned | {post.author_id}
    title = f"“{thread.title}”"
    quoted_author = post.quoted_post.author_id if post.quoted_post is not None else None
    if quoted_author is not None and quoted_author not in told:
        notify(
            [quoted_author],
            _about(post, "quote", f"{who_did_it(post.author)} quoted you in {title}"),
        )
        told.add(quoted_author)
    if thread.author_id is not None and thread.author_id not in told:
        replied = _about(post, "reply", f"{who_did_it(post.author)} replied to {title}")
        folded = replace(
            replied,
            group_key=f"replies:{thread.id}",
            folded_text="{count} new replies to " + title,
        )
        notify([thread.author_id], folded)
        told.add(thread.author_id)
    notify(
        _watchers_yet_to_see(post, told),
        Draft(
            kind="watching",
            text=f"{who_did_it(post.author)} posted in {title}",
            url=_post_path(post),
            actor_id=post.author_id,
            thread=thread,
            post=post,
            group_key=f"thread:{thread.id}",
            folded_text="{count} new posts in " + title,
        ),
    )


def _about(post: Post, kind: str, text: str) -> Draft:
    return Draft(
        kind=kind,
        text=text,
        url=_post_path(post),
        actor_id=post.author_id,
        thread=post.thread,
        post=post,
    )


def on_member_mentioned(event: MemberMentioned) -> None:
    post = db.session.get(Post, event.post_id)
    if post is not None:
        text = f"{who_did_it(post.author)} mentioned you in “{post.thread.title}”"
        notify([event.member_id], _about(post, "mention", text))


def on_reaction_added(event: ReactionAdded) -> None:
    post = db.session.get(Post, event.post_id)
    reactor = db.session.get(Member, event.member_id)
    if post is None or post.author_id is None:
        return
    title = f"“{post.thread.title}”"
    verb = "found your post insightful in" if event.kind == "insightful" else "liked your post in"
    notify(
        [post.author_id],
        Draft(
            kind="reaction",
            text=f"{who_did_it(reactor)} {verb} {title}",
            url=_post_path(post),
            actor_id=event.member_id,
            thread=post.thread,
            post=post,
            group_key=f"reactions:{post.id}",
            folded_text="{count} new reactions to your post in " + title,
        ),
    )


def on_thread_assigned(event: ThreadAssigned) -> None:
    thread = db.session.get(Thread, event.thread_id)
    actor = db.session.get(Member, event.actor_id)
    if thread is not None:
        notify(
            [event.assignee_id],
            Draft(
                kind="assigned",
                text=f"{who_did_it(actor)} asked you to respond to “{thread.title}”",
                url=path_for("forum.thread", thread_id=thread.id),
                actor_id=event.actor_id,
                thread=thread,
            ),
        )


def on_member_joined(event: MemberJoined) -> None:
    member = db.session.get(Member, event.member_id)
    if member is not None and event.referrer_id is not None:
        notify(
            [event.referrer_id],
            Draft(
                kind="invitation_accepted",
                text=f"{member.name} accepted your invitation and joined Council",
                url=path_for("home.index"),
                actor_id=event.member_id,
            ),
        )


def on_membership_requested(event: MembershipRequested) -> None:
    request = db.session.get(MembershipRequest, event.request_id)
    if request is None or request.status != RequestStatus.PENDING:
        return
    moderators = db.session.scalars(
        select(Member.id).where(access.moderators_filter(), Member.status == MemberStatus.ACTIVE)
    )
    notify(
        moderators,
        Draft(
            kind="request_waiting",
            text=f"A membership request from {request.name} is waiting for review",
            url=path_for("moderation.review_request", request_id=request.id),
            group_key="requests",
            folded_text="{count} membership requests are waiting for review",
        ),
    )


def on_flag_raised(event: FlagRaised) -> None:
    post = db.session.get(Post, event.post_id) if event.post_id is not None else None
    thread = post.thread if post is not None else db.session.get(Thread, event.thread_id)
    if thread is None:
        return
    community = thread.community
    moderators = db.session.scalars(
        select(Member.id).where(
            Member.status == MemberStatus.ACTIVE, access.community_moderators_filter(community)
        )
    ).all()
    what = "A post in" if post is not None else "The thread"
    notify(
        moderators,
        Draft(
            kind="flag_raised",
            text=f"{what} “{thread.title}” was flagged",
            url=path_for("moderation.flag_queue"),
            thread=thread,
            post=post,
            group_key=f"flags:{community.id}",
            folded_text="{count} new flags in " + community.name,
        ),
    )


def on_policy_changed(event: PolicyChanged) -> None:
    everyone = db.session.scalars(select(Member.id).where(Member.status == MemberStatus.ACTIVE))
    changed = f"The membership policy changed (version {event.version})"
    notify(
        everyone,
        Draft(
            kind="policy_notice",
            text=f"{changed}: {event.summary}"[:300] if event.summary else changed,
            url=path_for("membership.apply"),
        ),
    )


def on_member_signed_out(event: MemberSignedOut) -> None:
    live.end_sessions(event.member_id, event.session_hash)


def subscribe_all() -> None:
    # Right after the commit: one socket room, one session, one known recipient. Requests
    # arrive from the worker already (``record_request`` runs as a task).
    subscribe(PostCreated, push_new_post)
    subscribe(MemberSignedOut, on_member_signed_out)
    subscribe(ReactionAdded, on_reaction_added)
    subscribe(ThreadAssigned, on_thread_assigned)
    subscribe(MemberJoined, on_member_joined)
    subscribe(MembershipRequested, on_membership_requested)
    # In the job runner: recipients that grow with the membership (a thread's or community's
    # watchers, everyone a post mentions, every moderator, every member).
    subscribe_queued(ThreadCreated, on_thread_created)
    subscribe_queued(PostCreated, on_post_created)
    subscribe_queued(MemberMentioned, on_member_mentioned)
    subscribe_queued(FlagRaised, on_flag_raised)
    subscribe_queued(PolicyChanged, on_policy_changed)
