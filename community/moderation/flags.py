"""Flags on posts and on whole threads, and the moderators' review queue. Three members flagging
a post or a thread hide it until a moderator (or the chapter's lead) decides; posts held by the
sales-pitch check wait in the same queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, String, case, exists, func, literal, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from community import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.domain_events import FlagRaised
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.core.mail import send_email
from community.core.pagination import Page, page_count
from community.extensions import db
from community.forum import services as forum
from community.forum import thread_state
from community.forum.models import Post, Thread
from community.members.models import Member
from community.moderation.models import Flag, FlagReason

HIDE_AFTER_DISTINCT_FLAGS = 3
MAX_FLAG_TEXT = 1000
QUEUE_PAGE = 20


class Decision(StrEnum):
    DISMISS = "dismiss"  # nothing wrong: show it, close the flags
    HIDE = "hide"  # keep it out of sight
    DELETE = "delete"  # soft delete
    WARN = "warn"  # show it, and email the author the moderator's note

    @property
    def label(self) -> str:
        return {
            "dismiss": "Dismiss the flags and show it",
            "hide": "Keep it hidden",
            "delete": "Delete it",
            "warn": "Warn the author (and show it)",
        }[self.value]

    @property
    def asks_first(self) -> bool:
        """Members lose sight of the post: the queue asks once before deciding."""
        return self in (Decision.HIDE, Decision.DELETE)

    @property
    def question(self) -> str:
        """What the queue asks before a decision that ``asks_first``."""
        return {
            "hide": "Hide it from members until a moderator shows it again?",
            "delete": "Delete it? Members will no longer see it.",
        }.get(self.value, "")


def _check_flag(reason: str, text: str) -> tuple[FlagReason, str]:
    try:
        flag_reason = FlagReason(reason)
    except ValueError:
        raise DomainError("Choose why you are flagging this.", field="reason") from None
    text = text.strip()
    if flag_reason == FlagReason.OTHER and not text:
        raise DomainError("Say what is wrong when the reason is 'Something else'.", field="text")
    if len(text) > MAX_FLAG_TEXT:
        raise DomainError(f"Keep it under {MAX_FLAG_TEXT} characters.", field="text")
    return flag_reason, text


def _add_flag(flag: Flag, on: Any, already: str) -> int:
    """Store the flag; the number of distinct members with an open flag on the same object."""
    db.session.add(flag)
    try:
        db.session.flush()
    except IntegrityError:  # the partial unique index: one open flag per member and object
        db.session.rollback()
        raise DomainError(already) from None
    return (
        db.session.scalar(
            select(func.count(func.distinct(Flag.flagger_id))).where(on, Flag.resolved_at.is_(None))
        )
        or 0
    )


def flag_post(member: Member, post_id: int, reason: str, text: str = "") -> Post:
    """Flag a post the member can see; returns the post (held once enough members flag it)."""
    post = access.get_visible_post(member, post_id)
    flag_reason, text = _check_flag(reason, text)
    if not access.can_flag_post(member, post):
        if post.deleted_at is not None:
            raise PermissionDenied("This post is already deleted.")
        raise PermissionDenied("You cannot flag your own post; edit or delete it instead.")
    flag = Flag(post=post, flagger_id=member.id, reason=flag_reason.value, text=text)
    flaggers = _add_flag(
        flag,
        Flag.post_id == post.id,
        "You have already flagged this post; moderators will review it.",
    )
    if flaggers >= HIDE_AFTER_DISTINCT_FLAGS and not post.is_held:
        forum.hold_post(
            post,
            f"Hidden after {flaggers} members flagged it; a moderator will review it.",
        )
    publish(FlagRaised(flag_id=flag.id, thread_id=post.thread_id, post_id=post.id))
    commit()
    return post


def flag_thread(member: Member, thread_id: int, reason: str, text: str = "") -> Flag:
    """Flag a whole thread (its title, its subject, the place it was started)."""
    thread = access.get_visible_thread(member, thread_id)
    flag_reason, text = _check_flag(reason, text)
    if not access.can_flag_thread(member, thread):
        if thread.deleted_at is not None:
            raise PermissionDenied("This thread is already deleted.")
        raise PermissionDenied("You cannot flag your own thread; close it or ask a moderator.")
    flag = Flag(thread=thread, flagger_id=member.id, reason=flag_reason.value, text=text)
    flaggers = _add_flag(
        flag,
        Flag.thread_id == thread.id,
        "You have already flagged this thread; moderators will review it.",
    )
    if flaggers >= HIDE_AFTER_DISTINCT_FLAGS and not thread.is_held:
        thread_state.hold_thread(
            thread,
            f"Hidden after {flaggers} members flagged it; a moderator will review it.",
        )
    publish(FlagRaised(flag_id=flag.id, thread_id=thread.id))
    commit()
    return flag


# --- The review queue -----------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    """A flagged or held post (``post`` set), or a flagged or held thread (``post`` None)."""

    thread: Thread
    post: Post | None
    flags: list[Flag]

    @property
    def held_reason(self) -> str:
        return self.post.held_reason if self.post is not None else self.thread.held_reason


def _review_queue(moderator: Member) -> Any:
    """Flagged or held posts and threads in the communities this member moderates (every one
    for moderators, their own chapters for leads): (kind, id, created_at, held) rows."""
    moderated = access.moderated_threads_filter(moderator)

    def awaiting(model: type[Post] | type[Thread]) -> Any:
        # Held and not yet reviewed: kept hidden by a moderator's decision, it has left.
        return (model.held_reason != "") & model.kept_hidden_at.is_(None)

    open_post_flag = exists().where(Flag.post_id == Post.id, Flag.resolved_at.is_(None))
    open_thread_flag = exists().where(Flag.thread_id == Thread.id, Flag.resolved_at.is_(None))
    posts = (
        select(
            literal("post", String).label("kind"),
            Post.id,
            Post.created_at,
            case((awaiting(Post), 1), else_=0).label("held"),
        )
        .join(Post.thread)
        .where(moderated, Post.deleted_at.is_(None), open_post_flag | awaiting(Post))
    )
    threads = select(
        literal("thread", String).label("kind"),
        Thread.id,
        Thread.created_at,
        case((awaiting(Thread), 1), else_=0).label("held"),
    ).where(moderated, Thread.deleted_at.is_(None), open_thread_flag | awaiting(Thread))
    return union_all(posts, threads).subquery()


def get_review_queue(moderator: Member, page: int = 1) -> Page[QueueItem]:
    """The review queue (``_review_queue``), oldest first, in a constant number of queries."""
    queue = _review_queue(moderator)
    total = db.session.scalar(select(func.count()).select_from(queue)) or 0
    number = min(max(1, page), page_count(total, QUEUE_PAGE))
    rows = db.session.execute(
        select(queue.c.kind, queue.c.id)
        .order_by(queue.c.created_at, queue.c.kind, queue.c.id)
        .offset((number - 1) * QUEUE_PAGE)
        .limit(QUEUE_PAGE)
    ).all()
    return Page(_load_items(rows), number, QUEUE_PAGE, total)


@dataclass(frozen=True)
class QueueCounts:
    waiting: int  # everything in the review queue
    held: int  # of which held (by the sales-pitch check or enough flags)


def count_review_queue(moderator: Member) -> QueueCounts:
    """What waits in the member's review queue, in one query."""
    queue = _review_queue(moderator)
    row = db.session.execute(
        select(
            func.count().label("waiting"),
            func.coalesce(func.sum(queue.c.held), 0).label("held"),
        ).select_from(queue)
    ).one()
    return QueueCounts(int(row.waiting), int(row.held))


def _load_items(rows: Sequence[Row[Any]]) -> list[QueueItem]:
    post_ids = [row.id for row in rows if row.kind == "post"]
    thread_ids = [row.id for row in rows if row.kind == "thread"]
    posts = {
        post.id: post
        for post in db.session.scalars(
            select(Post)
            .where(Post.id.in_(post_ids))
            .options(joinedload(Post.author), joinedload(Post.thread))
        )
    }
    threads = {
        thread.id: thread
        for thread in db.session.scalars(
            select(Thread).where(Thread.id.in_(thread_ids)).options(joinedload(Thread.author))
        )
    }
    grouped: dict[tuple[str, int | None], list[Flag]] = {}
    for flag in db.session.scalars(
        select(Flag)
        .where(
            Flag.post_id.in_(post_ids) | Flag.thread_id.in_(thread_ids),
            Flag.resolved_at.is_(None),
        )
        .options(joinedload(Flag.flagger))
        .order_by(Flag.created_at)
    ):
        key = ("post", flag.post_id) if flag.post_id is not None else ("thread", flag.thread_id)
        grouped.setdefault(key, []).append(flag)
    items = []
    for row in rows:
        key = (row.kind, row.id)
        if row.kind == "post":
            post = posts[row.id]
            items.append(QueueItem(post.thread, post, grouped.get(key, [])))
        else:
            items.append(QueueItem(threads[row.id], None, grouped.get(key, [])))
    return items


# --- Decisions ------------------------------------------------------------------------------


def _choice(decision: str, note: str) -> Decision:
    try:
        choice = Decision(decision)
    except ValueError:
        raise DomainError("Choose what to do.", field="decision") from None
    if choice == Decision.WARN and not note.strip():
        raise DomainError("Write the warning the author will receive.", field="note")
    return choice


def _resolve(moderator: Member, choice: Decision, on: Any) -> None:
    now = utcnow()
    for flag in db.session.scalars(select(Flag).where(on, Flag.resolved_at.is_(None))):
        flag.resolved_at = now
        flag.resolved_by_id = moderator.id
        flag.resolution = choice.value


def _warn(author: Member | None, note: str, **context: Any) -> None:
    if author is not None:
        send_email(
            author.email,
            "A note from the Council moderators",
            "post_warning",
            member=author,
            note=note,
            **context,
        )


def decide(moderator: Member, post_id: int, decision: str, note: str = "") -> Post:
    """Resolve every open flag on a post with one decision, audit-logged."""
    choice = _choice(decision, note)
    post = db.session.get(Post, post_id)
    # A chapter lead asking about another community's post learns nothing: 404, as for none.
    if post is None or not access.can_moderate_community(moderator, post.thread.community):
        raise NotFound("There is no such post.")
    note = note.strip()
    if choice in (Decision.DISMISS, Decision.WARN):
        forum.release_post(post)
    elif choice == Decision.HIDE:
        forum.hold_post(post, note or "Hidden by a moderator.", reviewed=True)
    else:
        forum.soft_delete(post, moderator)
    _resolve(moderator, choice, Flag.post_id == post.id)
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
    if choice == Decision.WARN:
        _warn(author, note, post=post, thread=post.thread)
    commit()
    return post


def decide_thread(moderator: Member, thread_id: int, decision: str, note: str = "") -> Thread:
    """Resolve every open flag on a whole thread with one decision, audit-logged."""
    choice = _choice(decision, note)
    thread = db.session.get(Thread, thread_id)
    if thread is None or not access.can_moderate_community(moderator, thread.community):
        raise NotFound("There is no such thread.")
    note = note.strip()
    if choice in (Decision.DISMISS, Decision.WARN):
        thread_state.release_thread(thread)
    elif choice == Decision.HIDE:
        thread_state.hold_thread(thread, note or "Hidden by a moderator.", reviewed=True)
    else:
        thread_state.delete_thread(thread)
    _resolve(moderator, choice, Flag.thread_id == thread.id)
    author = thread.author
    record_audit(
        moderator,
        f"thread.{choice.value}",
        "thread",
        thread.id,
        target_label=thread.title,
        reason=note,
        author=author.email if author else "",
    )
    if choice == Decision.WARN:
        _warn(author, note, post=None, thread=thread)
    commit()
    return thread
