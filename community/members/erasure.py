"""Erase what a leaving member wrote, when they ask for it as they delete their account.

By default a deleted account's posts and messages stay, signed "Former member", so threads
and conversations still read in order. A member may instead take their words with them:

- every post they wrote is emptied and deleted (the numbering of the thread stays; moderators
  see an empty deleted post in its place), and its earlier versions go;
- every thread they started is deleted with its title and poll, so other members' replies in
  it go out of sight too (the deletion page says so), and the notifications and audit labels
  that quote its title are cleared;
- every message they wrote in a conversation is emptied and marked as erased;
- every picture they pasted into the composer goes, used in a post or not (the files after
  the commit).

Library discussions belong to the council, not to whoever opened them: those threads stay,
only the member's own posts in them are emptied. Words other members quoted in their own posts
are theirs now and stay.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update

from community.core.audit import AuditEntry
from community.extensions import db
from community.forum.image_cleanup import delete_member_images
from community.forum.models import Poll, Post, PostRevision, Thread
from community.forum.services import soft_delete
from community.forum.thread_state import delete_thread
from community.members.models import Member
from community.messages.models import Message
from community.notifications.models import Notification

ERASED_TITLE = "Erased thread"
ERASED_MESSAGE_HTML = "<p><em>Erased by its author.</em></p>"


def erase_writing(member: Member) -> None:
    """Empty and delete everything the member wrote (see the module's docstring). Caller
    commits, in the same transaction as the account's deletion."""
    threads = db.session.scalars(
        select(Thread).where(Thread.author_id == member.id, Thread.resource_id.is_(None))
    ).all()
    thread_ids = [thread.id for thread in threads]
    for thread in threads:
        delete_thread(thread)
        thread.title = ERASED_TITLE
    if thread_ids:
        db.session.execute(delete(Poll).where(Poll.thread_id.in_(thread_ids)))
        db.session.execute(delete(Notification).where(Notification.thread_id.in_(thread_ids)))
        db.session.execute(
            update(AuditEntry)
            .where(AuditEntry.target_type == "thread", AuditEntry.target_id.in_(thread_ids))
            .values(target_label=ERASED_TITLE)
        )

    their_posts = select(Post.id).where(Post.author_id == member.id)
    db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_(their_posts)))
    for post in db.session.scalars(select(Post).where(Post.author_id == member.id)):
        if post.deleted_at is None:
            soft_delete(post, member)
        post.body = post.body_html = post.excerpt = ""

    db.session.execute(
        update(Message)
        .where(Message.author_id == member.id)
        .values(body="", body_html=ERASED_MESSAGE_HTML)
    )
    delete_member_images(member)
