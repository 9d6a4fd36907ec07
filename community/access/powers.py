"""What a member may do with a thread and its posts: one predicate per power, and the whole set
gathered once per page.

Each ``can_*`` here is the one rule for its action: the service that performs the action asks
it (and raises PermissionDenied when it says no), and the thread page reads the same answer
from ``ThreadPowers``/``PostPowers``, so a button shown and an action allowed never disagree
(Discourse's guardian, whose ``can_*`` answers travel with the topic to the page). The page's
templates only read these flags; they never compare ids or roles themselves.

The predicates assume the member can see the thread (and the post): services look the object
up through ``get_visible_thread``/``get_visible_post`` first, which answer 404 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from community.access.forum import can_moderate_community, can_reopen_thread
from community.access.roles import is_editor
from community.core.clock import utcnow
from community.core.errors import PermissionDenied
from community.forum.models import Post, Thread
from community.members.models import Member

# --- Threads ---------------------------------------------------------------------------------


def _moderates(member: Member, thread: Thread, moderator: bool | None) -> bool:
    """``moderator`` may be passed in when the caller already knows it for the thread."""
    if moderator is None:
        return can_moderate_community(member, thread.community)
    return moderator


def _author_or_moderator(
    member: Member, author_id: int | None, thread: Thread, moderator: bool | None
) -> bool:
    """The one "its author or a moderator of its community" rule, for threads and posts."""
    return author_id == member.id or _moderates(member, thread, moderator)


def can_reply(member: Member, thread: Thread, moderator: bool | None = None) -> bool:
    """A closed thread takes no replies from anyone (a moderator reopens it first); a locked
    one takes them from the community's moderators only."""
    if thread.is_closed:
        return False
    return not thread.locked or _moderates(member, thread, moderator)


def check_can_reply(member: Member, thread: Thread) -> None:
    """``can_reply``, raising with the reason when it says no."""
    if can_reply(member, thread):
        return
    if thread.is_closed:
        raise PermissionDenied("This thread is closed; reopen it to reply.")
    raise PermissionDenied("This thread is locked: only moderators may post.")


def can_close_or_reopen(member: Member, thread: Thread, moderator: bool | None = None) -> bool:
    """The thread's author and its community's moderators close threads (and, within
    ``can_reopen_thread``'s limits, reopen them)."""
    return _author_or_moderator(member, thread.author_id, thread, moderator)


def can_close_thread(member: Member, thread: Thread, moderator: bool | None = None) -> bool:
    return not thread.is_closed and can_close_or_reopen(member, thread, moderator)


def can_close_poll(member: Member, thread: Thread, moderator: bool | None = None) -> bool:
    """The thread's author and its community's moderators close its poll."""
    return _author_or_moderator(member, thread.author_id, thread, moderator)


def can_flag_thread(member: Member, thread: Thread) -> bool:
    """Anyone but its author flags a thread that is not deleted (the author closes it or asks
    a moderator instead)."""
    return thread.author_id != member.id and thread.deleted_at is None


def can_promote_thread(member: Member, thread: Thread) -> bool:
    """Editors and owners turn a discussion into a library draft; a deleted one is not
    material for the library."""
    return is_editor(member) and thread.deleted_at is None


@dataclass(frozen=True)
class ThreadPowers:
    """Everything the thread page may offer the member, decided once per page."""

    moderate: bool  # pin, lock, move, assign; sees deleted and held posts
    reply: bool
    close: bool
    reopen: bool
    pin: bool
    lock: bool
    move: bool
    assign: bool
    flag: bool
    promote: bool
    vote: bool
    close_poll: bool
    see_history: bool


def thread_powers(member: Member, thread: Thread) -> ThreadPowers:
    """The member's powers on a thread they can see."""
    moderator = can_moderate_community(member, thread.community)
    return ThreadPowers(
        moderate=moderator,
        reply=can_reply(member, thread, moderator),
        close=can_close_thread(member, thread, moderator),
        reopen=can_reopen_thread(member, thread),
        pin=moderator,
        lock=moderator,
        move=moderator,
        assign=moderator,
        flag=can_flag_thread(member, thread),
        promote=can_promote_thread(member, thread),
        vote=True,  # whoever sees a poll votes in it once (the poll says whether they have)
        close_poll=can_close_poll(member, thread, moderator),
        see_history=moderator,
    )


# --- Posts -----------------------------------------------------------------------------------


def can_edit_post(member: Member, post: Post, moderator: bool | None = None) -> bool:
    """Moderators edit any post of their communities; authors their own, while it is not
    deleted, its thread not locked, and it is younger than the edit window."""
    if _moderates(member, post.thread, moderator):
        return True
    window = timedelta(minutes=current_app.config["EDIT_WINDOW_MINUTES"])
    return (
        post.author_id == member.id
        and post.deleted_at is None
        and not post.thread.locked
        and post.created_at > utcnow() - window
    )


def can_delete_post(member: Member, post: Post, moderator: bool | None = None) -> bool:
    """The author or a moderator of the community deletes a post that is not deleted yet."""
    if post.deleted_at is not None:
        return False
    return _author_or_moderator(member, post.author_id, post.thread, moderator)


def can_react(member: Member, post: Post) -> bool:
    """Anyone but its author reacts to a post that is not deleted."""
    return post.author_id != member.id and post.deleted_at is None


def can_flag_post(member: Member, post: Post) -> bool:
    """Anyone but its author flags a post that is not deleted (the author edits or deletes it)."""
    return post.author_id != member.id and post.deleted_at is None


def can_see_revisions(member: Member, post: Post, moderator: bool | None = None) -> bool:
    """A post's earlier texts are for the community's moderators."""
    return _moderates(member, post.thread, moderator)


@dataclass(frozen=True)
class PostPowers:
    edit: bool
    delete: bool
    react: bool
    quote: bool
    flag: bool
    see_history: bool


def post_powers(member: Member, post: Post, powers: ThreadPowers) -> PostPowers:
    """The member's powers on one post of a thread whose ``powers`` are already known: no
    query of its own, so a page of posts costs nothing more."""
    return PostPowers(
        edit=can_edit_post(member, post, powers.moderate),
        delete=can_delete_post(member, post, powers.moderate),
        react=can_react(member, post),
        quote=powers.reply,  # a quote is a reply that starts with the post's words
        flag=can_flag_post(member, post),
        see_history=can_see_revisions(member, post, powers.moderate),
    )
