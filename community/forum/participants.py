"""Who a thread's list row names, kept on write: its participants (``ThreadParticipant``, a
member with a post in the thread that readers see) and who posted last. The posting service
calls these inside its unit of work; the caller commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, select

from community import access
from community.core.models import upsert
from community.extensions import db
from community.forum.models import Post, ThreadParticipant


def note_participant(post: Post, at: datetime) -> None:
    """The post's author now has a post readers see in its thread (a new post, or a held one
    released): add them, or move their last post time forward."""
    if post.author_id is None:
        return
    statement = upsert(ThreadParticipant).values(
        thread_id=post.thread_id, member_id=post.author_id, last_posted_at=at
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["thread_id", "member_id"],
            set_={"last_posted_at": statement.excluded.last_posted_at},
            where=ThreadParticipant.last_posted_at < statement.excluded.last_posted_at,
        )
    )


def forget_participant_if_gone(post: Post) -> None:
    """The post stopped showing (held or deleted): if it was its author's last post readers
    see in the thread, they no longer show as a participant, so a list never names someone
    for a post nobody can read."""
    if post.author_id is None:
        return
    db.session.flush()  # the post's new state counts in the check below
    others = exists().where(
        Post.thread_id == post.thread_id,
        Post.author_id == post.author_id,
        Post.id != post.id,
        access.posts_every_reader_sees_filter(),
    )
    if not db.session.scalar(select(others)):
        db.session.execute(
            delete(ThreadParticipant).where(
                ThreadParticipant.thread_id == post.thread_id,
                ThreadParticipant.member_id == post.author_id,
            )
        )


def forget_last_post_if_gone(post: Post) -> None:
    """The post stopped showing: if the thread's "last post by" named it, name the last post
    readers still see (the first post's time and author when none is left)."""
    thread = post.thread
    if thread.last_poster_id != post.author_id or thread.last_posted_at > post.created_at:
        return
    db.session.flush()
    latest = db.session.execute(
        select(Post.author_id, Post.created_at)
        .where(Post.thread_id == thread.id, access.posts_every_reader_sees_filter())
        .order_by(Post.number.desc())
        .limit(1)
    ).first()
    if latest is not None:
        thread.last_poster_id, thread.last_posted_at = latest.author_id, latest.created_at


def note_last_post(post: Post) -> None:
    """A held post shown again: it is the thread's last post if none came after it."""
    if post.created_at >= post.thread.last_posted_at:
        post.thread.last_poster_id = post.author_id
        post.thread.last_posted_at = post.created_at
