"""Moderators' actions on whole threads: pin, lock, move, and 'needs response' assignments."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community import access
from community.core.audit import record_audit
from community.core.domain_events import ThreadAssigned, ThreadChanged
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit, publish
from community.core.text import single_line
from community.extensions import db
from community.forum.models import Community, Thread, listed_thread_community
from community.members.models import Member
from community.members.services import get_member_by_handle


def _moderated_thread(member: Member, thread_id: int) -> Thread:
    thread = access.get_visible_thread(member, thread_id)
    if not access.can_moderate_community(member, thread.community):
        raise PermissionDenied("Only moderators of this community can do that.")
    return thread


def assign_thread(moderator: Member, thread_id: int, assignee_handle: str) -> Thread:
    """Mark a thread as needing a response from a named member (who must be able to see it)."""
    thread = _moderated_thread(moderator, thread_id)
    assignee = get_member_by_handle(assignee_handle)
    if assignee is None or not assignee.is_active or not access.can_see_thread(assignee, thread):
        raise DomainError(
            "Name an active member who can see this thread, by @handle.", field="assignee"
        )
    thread.needs_response = True
    thread.assignee = assignee
    record_audit(
        moderator,
        "thread.assigned",
        "thread",
        thread.id,
        target_label=thread.title,
        assignee=assignee.handle,
    )
    publish(ThreadAssigned(thread_id=thread.id, assignee_id=assignee.id, actor_id=moderator.id))
    commit()
    return thread


def clear_assignment(moderator: Member, thread_id: int) -> Thread:
    thread = _moderated_thread(moderator, thread_id)
    thread.needs_response = False
    thread.assignee = None
    commit()
    return thread


def list_assigned(member: Member, limit: int | None = None) -> list[Thread]:
    """The member's queue: threads waiting for their response, oldest activity first (the
    first ``limit`` of them, when given)."""
    return list(
        db.session.scalars(
            select(Thread)
            .where(
                Thread.assignee_id == member.id,
                Thread.needs_response.is_(True),
                Thread.closed_at.is_(None),  # a closed thread waits for nobody
                access.visible_threads_filter(member),
            )
            .options(joinedload(Thread.last_poster), listed_thread_community())
            .order_by(Thread.last_posted_at)
            .limit(limit)
        )
    )


def relocate_thread(thread: Thread, target: Community) -> None:
    """Put a thread in another community, carrying its counts along. No checks; the caller
    decides who may and commits."""
    source = thread.community
    source.thread_count -= 1
    source.post_count -= thread.post_count
    target.thread_count += 1
    target.post_count += thread.post_count
    if target.last_posted_at is None or target.last_posted_at < thread.last_posted_at:
        target.last_posted_at = thread.last_posted_at
        target.last_thread_id = thread.id
    if source.last_thread_id == thread.id:
        source.last_thread_id = None  # its latest thread left; the next post names another
    thread.community = target
    publish(ThreadChanged(thread_id=thread.id))


def move_thread(moderator: Member, thread_id: int, community_slug: str) -> Thread:
    """Move a thread to another community the moderator also moderates."""
    thread = _moderated_thread(moderator, thread_id)
    target = db.session.scalars(select(Community).where(Community.slug == community_slug)).first()
    if target is None or not access.can_moderate_community(moderator, target):
        raise DomainError("Choose a community you moderate.", field="community")
    if target.id == thread.community_id:
        return thread
    source = thread.community
    relocate_thread(thread, target)
    thread.title = single_line(thread.title)  # titles saved before they were kept to one line
    record_audit(
        moderator,
        "thread.moved",
        "thread",
        thread.id,
        target_label=thread.title,
        source=source.slug,
        target=target.slug,
    )
    commit()
    return thread


def set_thread_flags(
    member: Member, thread_id: int, *, pinned: bool | None = None, locked: bool | None = None
) -> Thread:
    """Pin or lock a thread: moderators of its community only, audit-logged."""
    thread = _moderated_thread(member, thread_id)
    for name, value in (("pinned", pinned), ("locked", locked)):
        if value is None or getattr(thread, name) == value:
            continue
        setattr(thread, name, value)
        action = name if value else f"un{name}"
        record_audit(member, f"thread.{action}", "thread", thread.id, target_label=thread.title)
    commit()
    return thread
