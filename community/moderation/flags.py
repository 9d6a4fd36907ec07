"""Flags on posts and the moderators' review queue. Three members flagging a post hide it until
a moderator decides; posts held by the sales-pitch check wait in the same queue."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from community.core import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.core.mail import send_email
from community.core.pagination import Page, paginate
from community.extensions import db
from community.forum import services as forum
from community.forum.models import Post, Thread
from community.members.models import Member
from community.moderation.models import Flag, FlagReason

HIDE_AFTER_DISTINCT_FLAGS = 3
MAX_FLAG_TEXT = 1000


class Decision(StrEnum):
    DISMISS = "dismiss"  # nothing wrong: show the post, close the flags
    HIDE = "hide"  # keep it out of sight
    DELETE = "delete"  # soft delete
    WARN = "warn"  # show it, and email the author the moderator's note

    @property
    def label(self) -> str:
        return {
            "dismiss": "Dismiss the flags and show the post",
            "hide": "Keep the post hidden",
            "delete": "Delete the post",
            "warn": "Warn the author (and show the post)",
        }[self.value]


def flag_post(member: Member, post_id: int, reason: str, text: str = "") -> Flag:
    post = forum.get_visible_post(member, post_id)
    try:
        flag_reason = FlagReason(reason)
    except ValueError:
        raise DomainError("Choose why you are flagging this post.", field="reason") from None
    text = text.strip()
    if flag_reason == FlagReason.OTHER and not text:
        raise DomainError("Say what is wrong when the reason is 'Something else'.", field="text")
    if len(text) > MAX_FLAG_TEXT:
        raise DomainError(f"Keep it under {MAX_FLAG_TEXT} characters.", field="text")
    if post.author_id == member.id:
        raise DomainError("You cannot flag your own post; edit or delete it instead.")
    if post.deleted_at is not None:
        raise DomainError("This post is already deleted.")
    flag = Flag(post=post, flagger_id=member.id, reason=flag_reason.value, text=text)
    db.session.add(flag)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(
            "You have already flagged this post; moderators will review it."
        ) from None
    flaggers = db.session.scalar(
        select(func.count(func.distinct(Flag.flagger_id))).where(
            Flag.post_id == post.id, Flag.resolved_at.is_(None)
        )
    )
    if flaggers >= HIDE_AFTER_DISTINCT_FLAGS and not post.is_held:
        forum.hold_post(
            post,
            f"Hidden after {flaggers} members flagged it; a moderator will review it.",
        )
    publish("flag_raised", flag_id=flag.id, post_id=post.id)
    commit()
    return flag


def get_review_queue(moderator: Member, page: int = 1) -> Page[Post]:
    """Flagged or held posts in the communities this member moderates, oldest first."""
    has_open_flag = exists().where(Flag.post_id == Post.id, Flag.resolved_at.is_(None))
    query = (
        select(Post)
        .join(Post.thread)
        .where(
            access.moderated_threads_filter(moderator),
            Post.deleted_at.is_(None),
            has_open_flag | (Post.held_reason != ""),
        )
        .options(joinedload(Post.author), joinedload(Post.thread).joinedload(Thread.community))
        .order_by(Post.created_at, Post.id)
    )
    return paginate(query, page, per_page=20)


def open_flags_for(posts: list[Post]) -> dict[int, list[Flag]]:
    if not posts:
        return {}
    flags = db.session.scalars(
        select(Flag)
        .where(Flag.post_id.in_([post.id for post in posts]), Flag.resolved_at.is_(None))
        .options(joinedload(Flag.flagger))
        .order_by(Flag.created_at)
    )
    grouped: dict[int, list[Flag]] = {}
    for flag in flags:
        grouped.setdefault(flag.post_id, []).append(flag)
    return grouped


def decide(moderator: Member, post_id: int, decision: str, note: str = "") -> Post:
    """Resolve every open flag on a post with one decision, audit-logged."""
    try:
        choice = Decision(decision)
    except ValueError:
        raise DomainError("Choose what to do with the post.", field="decision") from None
    post = db.session.get(Post, post_id)
    if post is None or not access.can_see_thread(moderator, post.thread):
        raise NotFound("There is no such post.")
    if not access.can_moderate_community(moderator, post.thread.community):
        raise PermissionDenied("You do not moderate this community.")
    note = note.strip()
    if choice == Decision.WARN and not note:
        raise DomainError("Write the warning the author will receive.", field="note")
    if choice in (Decision.DISMISS, Decision.WARN):
        forum.release_post(post)
    elif choice == Decision.HIDE:
        forum.hold_post(post, note or "Hidden by a moderator.")
    else:
        forum.soft_delete(post, moderator)
    now = utcnow()
    for flag in db.session.scalars(
        select(Flag).where(Flag.post_id == post.id, Flag.resolved_at.is_(None))
    ):
        flag.resolved_at = now
        flag.resolved_by_id = moderator.id
        flag.resolution = choice.value
    author = post.author
    record_audit(
        moderator,
        f"post.{choice.value}",
        "post",
        post.id,
        target_label=f"#{post.number} in {post.thread.title}"[:300],
        reason=note,
        author=author.email if author else "",
    )
    if choice == Decision.WARN and author is not None:
        send_email(
            author.email,
            "A note from the Council moderators",
            "post_warning",
            member=author,
            post=post,
            note=note,
        )
    commit()
    return post
