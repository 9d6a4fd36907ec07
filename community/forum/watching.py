"""Watch levels per thread and per community: watching, tracking (the default), muted.

A thread's own level wins over its community's. Notifications read ``chosen_levels``;
lists leave muted threads out of unread counts and "what's new".
"""

from __future__ import annotations

from sqlalchemy import func, select

from community import access
from community.core.errors import DomainError
from community.core.events import commit
from community.extensions import db
from community.forum import tracking
from community.forum.models import Community, CommunityWatch, Thread, ThreadWatch, WatchLevel
from community.forum.muting import muted_thread_ids as muted_thread_ids  # the digest's
from community.members.models import Member


def _level(value: str) -> WatchLevel:
    try:
        return WatchLevel(value)
    except ValueError:
        raise DomainError("Choose watching, tracking or muted.", field="level") from None


def set_thread_watch(member: Member, thread_id: int, level: str) -> WatchLevel:
    thread = access.get_visible_thread(member, thread_id)
    chosen = _level(level)
    watch = db.session.get(ThreadWatch, (member.id, thread.id))
    if watch is None:
        db.session.add(ThreadWatch(member_id=member.id, thread_id=thread.id, level=chosen.value))
    else:
        watch.level = chosen.value
    tracking.recount_thread(thread, member)  # muted leaves their counts; unmuted comes back
    commit()
    return chosen


def set_community_watch(member: Member, community: Community, level: str) -> WatchLevel:
    """``community`` must come from a visibility-checked lookup."""
    chosen = _level(level)
    watch = db.session.get(CommunityWatch, (member.id, community.id))
    if watch is None:
        db.session.add(
            CommunityWatch(member_id=member.id, community_id=community.id, level=chosen.value)
        )
    else:
        watch.level = chosen.value
    tracking.mark_stale(member.id)  # every thread of the community: rebuilt on the next read
    commit()
    return chosen


def watch_level(member: Member, thread: Thread) -> WatchLevel:
    """The member's effective level for a thread: its own, else its community's, else
    tracking (both read in one query)."""
    own = select(ThreadWatch.level).where(
        ThreadWatch.member_id == member.id, ThreadWatch.thread_id == thread.id
    )
    community = select(CommunityWatch.level).where(
        CommunityWatch.member_id == member.id,
        CommunityWatch.community_id == thread.community_id,
    )
    level = db.session.scalar(
        select(func.coalesce(own.scalar_subquery(), community.scalar_subquery()))
    )
    return WatchLevel(level) if level is not None else WatchLevel.TRACKING


def community_watch_level(member: Member, community: Community) -> WatchLevel:
    watch = db.session.get(CommunityWatch, (member.id, community.id))
    return WatchLevel(watch.level) if watch is not None else WatchLevel.TRACKING


def chosen_levels(thread: Thread) -> dict[int, WatchLevel]:
    """Every member's level on ``thread`` where they chose one, the thread's own winning over
    its community's; members absent from the result are tracking by default."""
    levels = {
        member_id: WatchLevel(level)
        for member_id, level in db.session.execute(
            select(CommunityWatch.member_id, CommunityWatch.level).where(
                CommunityWatch.community_id == thread.community_id
            )
        )
    }
    levels.update(
        (member_id, WatchLevel(level))
        for member_id, level in db.session.execute(
            select(ThreadWatch.member_id, ThreadWatch.level).where(
                ThreadWatch.thread_id == thread.id
            )
        )
    )
    return levels


# --- Set by posting ------------------------------------------------------------------------


def watch_after_posting(member: Member, thread: Thread) -> None:
    """Posting in a thread watches it (as Discourse does), unless the member already chose a
    level for it, or muted its community: a choice the member made is never overridden."""
    if db.session.get(ThreadWatch, (member.id, thread.id)) is not None:
        return
    community_watch = db.session.get(CommunityWatch, (member.id, thread.community_id))
    if community_watch is not None and community_watch.level == WatchLevel.MUTED.value:
        return
    db.session.add(
        ThreadWatch(member_id=member.id, thread_id=thread.id, level=WatchLevel.WATCHING.value)
    )
