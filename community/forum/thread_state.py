"""Whole-thread states besides pin and lock: closed by its author or a moderator, held after
flags until a moderator reviews it, and deleted by a moderator's decision."""

from __future__ import annotations

from community import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.domain_events import ThreadChanged, ThreadClosed
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit, publish
from community.forum.models import Thread
from community.members.models import Member

MAX_CLOSE_REASON = 200


def _check_may_close(member: Member, thread: Thread) -> bool:
    """Whether the member acts as a moderator (for the audit log); raises when they may not."""
    moderator = access.can_moderate_community(member, thread.community)
    if not access.can_close_or_reopen(member, thread, moderator):
        raise PermissionDenied("Only the thread's author or a moderator can close or reopen it.")
    return moderator and thread.author_id != member.id


def close_thread(member: Member, thread_id: int, reason: str = "") -> Thread:
    """Close a thread: nobody replies until it is reopened, and it leaves the needs-response
    queues. Its author or a moderator of its community may close it."""
    thread = access.get_visible_thread(member, thread_id)
    as_moderator = _check_may_close(member, thread)
    reason = " ".join(reason.split())
    if len(reason) > MAX_CLOSE_REASON:
        raise DomainError(f"Keep the reason under {MAX_CLOSE_REASON} characters.", field="reason")
    if thread.is_closed:
        raise DomainError("This thread is already closed.")
    thread.closed_at = utcnow()
    thread.closed_by_id = member.id
    thread.close_reason = reason
    if as_moderator:
        record_audit(
            member, "thread.closed", "thread", thread.id, target_label=thread.title, reason=reason
        )
    publish(ThreadClosed(thread_id=thread.id, actor_id=member.id))
    commit()
    return thread


def reopen_thread(member: Member, thread_id: int) -> Thread:
    """Take replies again; a thread still marked as needing a response goes back in the queue."""
    thread = access.get_visible_thread(member, thread_id)
    as_moderator = _check_may_close(member, thread)
    if not thread.is_closed:
        raise DomainError("This thread is open.")
    if not access.can_reopen_thread(member, thread):
        raise PermissionDenied("A moderator closed this thread; only a moderator can reopen it.")
    thread.closed_at = None
    thread.closed_by_id = None
    thread.close_reason = ""
    if as_moderator:
        record_audit(member, "thread.reopened", "thread", thread.id, target_label=thread.title)
    commit()
    return thread


# --- Held and deleted threads: the caller (the flag review) commits ---------------------------


def hold_thread(thread: Thread, reason: str, reviewed: bool = False) -> None:
    """Hide a thread from everyone but its author and moderators; lists stop counting it.
    ``reviewed``: a moderator decided to keep it hidden, so it leaves the review queue."""
    if not thread.is_held and thread.deleted_at is None:
        thread.community.thread_count -= 1
        thread.community.post_count -= thread.post_count
    thread.held_reason = reason
    thread.kept_hidden_at = utcnow() if reviewed else None
    publish(ThreadChanged(thread_id=thread.id))


def release_thread(thread: Thread) -> None:
    if thread.is_held and thread.deleted_at is None:
        thread.community.thread_count += 1
        thread.community.post_count += thread.post_count
    thread.held_reason = ""
    thread.kept_hidden_at = None
    publish(ThreadChanged(thread_id=thread.id))


def delete_thread(thread: Thread) -> None:
    """Soft delete: moderators still open it; lists stop counting it."""
    if not thread.is_held and thread.deleted_at is None:
        thread.community.thread_count -= 1
        thread.community.post_count -= thread.post_count
    thread.deleted_at = thread.deleted_at or utcnow()
    publish(ThreadChanged(thread_id=thread.id))
