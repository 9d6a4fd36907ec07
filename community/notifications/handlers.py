"""Domain events in, notifications out: who hears about what.

Each handler runs after the publishing transaction committed, reloads what it needs, picks the
recipients and hands one ``Draft`` per kind to ``notify``, which checks access for each of them.
When one post concerns a member in several ways, they hear the strongest: a mention, then a
quote, then a reply to their thread, then activity in something they watch.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from community import access
from community.core.events import subscribe
from community.core.urls import path_for
from community.extensions import db
from community.forum.models import Mention, Post, Thread, WatchLevel
from community.forum.watching import chosen_levels
from community.members.models import Member, MemberStatus
from community.membership.models import MembershipRequest, RequestStatus
from community.notifications import live
from community.notifications.services import Draft, notify


def _who(member: Member | None) -> str:
    return f"@{member.handle}" if member is not None else "A former member"


def _post_path(post: Post) -> str:
    return path_for("forum.post", post_id=post.id)


def on_thread_created(thread_id: int, post_id: int) -> None:
    thread = db.session.get(Thread, thread_id)
    post = db.session.get(Post, post_id)
    if thread is None or post is None:
        return
    levels = chosen_levels(thread)
    watchers = [mid for mid, level in levels.items() if level == WatchLevel.WATCHING]
    notify(
        watchers,
        Draft(
            kind="watching",
            text=f"{_who(thread.author)} started “{thread.title}” in {thread.community.name}",
            url=path_for("forum.thread", thread_id=thread.id),
            actor_id=thread.author_id,
            thread=thread,
            post=post,
        ),
    )


def on_post_created(post_id: int) -> None:
    post = db.session.get(Post, post_id)
    if post is None:
        return
    thread = post.thread
    if not post.is_held:
        live.push_post(thread.id, post.number)
    if post.number == 1:
        return  # a new thread: on_thread_created tells the community's watchers
    mentioned = set(db.session.scalars(select(Mention.member_id).where(Mention.post_id == post.id)))
    told = mentioned | {post.author_id}
    title = f"“{thread.title}”"
    quoted_author = post.quoted_post.author_id if post.quoted_post is not None else None
    if quoted_author is not None and quoted_author not in told:
        notify([quoted_author], _about(post, "quote", f"{_who(post.author)} quoted you in {title}"))
        told.add(quoted_author)
    if thread.author_id is not None and thread.author_id not in told:
        replied = _about(post, "reply", f"{_who(post.author)} replied to {title}")
        folded = replace(
            replied,
            group_key=f"replies:{thread.id}",
            folded_text="{count} new replies to " + title,
        )
        notify([thread.author_id], folded)
        told.add(thread.author_id)
    watchers = [
        mid
        for mid, level in chosen_levels(thread).items()
        if level == WatchLevel.WATCHING and mid not in told
    ]
    notify(
        watchers,
        Draft(
            kind="watching",
            text=f"{_who(post.author)} posted in {title}",
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


def on_member_mentioned(post_id: int, member_id: int) -> None:
    post = db.session.get(Post, post_id)
    if post is not None:
        text = f"{_who(post.author)} mentioned you in “{post.thread.title}”"
        notify([member_id], _about(post, "mention", text))


def on_reaction_added(post_id: int, member_id: int, kind: str) -> None:
    post = db.session.get(Post, post_id)
    reactor = db.session.get(Member, member_id)
    if post is None or post.author_id is None:
        return
    title = f"“{post.thread.title}”"
    verb = "found your post insightful in" if kind == "insightful" else "liked your post in"
    notify(
        [post.author_id],
        Draft(
            kind="reaction",
            text=f"{_who(reactor)} {verb} {title}",
            url=_post_path(post),
            actor_id=member_id,
            thread=post.thread,
            post=post,
            group_key=f"reactions:{post.id}",
            folded_text="{count} new reactions to your post in " + title,
        ),
    )


def on_thread_assigned(thread_id: int, assignee_id: int, actor_id: int) -> None:
    thread = db.session.get(Thread, thread_id)
    actor = db.session.get(Member, actor_id)
    if thread is not None:
        notify(
            [assignee_id],
            Draft(
                kind="assigned",
                text=f"{_who(actor)} asked you to respond to “{thread.title}”",
                url=path_for("forum.thread", thread_id=thread.id),
                actor_id=actor_id,
                thread=thread,
            ),
        )


def on_member_joined(member_id: int, referrer_id: int | None) -> None:
    member = db.session.get(Member, member_id)
    if member is not None and referrer_id is not None:
        notify(
            [referrer_id],
            Draft(
                kind="invitation_accepted",
                text=f"{member.name} accepted your invitation and joined Council",
                url=path_for("home.index"),
                actor_id=member_id,
            ),
        )


def on_membership_requested(request_id: int) -> None:
    request = db.session.get(MembershipRequest, request_id)
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


def on_flag_raised(flag_id: int, post_id: int | None, thread_id: int | None = None) -> None:
    post = db.session.get(Post, post_id) if post_id is not None else None
    thread = post.thread if post is not None else db.session.get(Thread, thread_id)
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


def on_policy_changed(version: int, summary: str) -> None:
    everyone = db.session.scalars(select(Member.id).where(Member.status == MemberStatus.ACTIVE))
    notify(
        everyone,
        Draft(
            kind="policy_notice",
            text=f"The membership policy changed (version {version}): {summary}"[:300]
            if summary
            else f"The membership policy changed (version {version})",
            url=path_for("membership.apply"),
        ),
    )


def on_member_signed_out(member_id: int, session_hash: str | None = None) -> None:
    live.end_sessions(member_id, session_hash)


def subscribe_all() -> None:
    subscribe("thread_created", on_thread_created)
    subscribe("post_created", on_post_created)
    subscribe("member_mentioned", on_member_mentioned)
    subscribe("reaction_added", on_reaction_added)
    subscribe("thread_assigned", on_thread_assigned)
    subscribe("member_joined", on_member_joined)
    subscribe("membership_requested", on_membership_requested)
    subscribe("flag_raised", on_flag_raised)
    subscribe("policy_changed", on_policy_changed)
    subscribe("member_signed_out", on_member_signed_out)
