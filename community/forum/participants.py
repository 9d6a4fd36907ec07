"""Who takes part in each thread, kept on write (``ThreadParticipant``): a member is a
participant while they have a post in the thread that readers see. The posting service
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
