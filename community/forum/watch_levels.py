"""Watch levels read inside other queries, and the level that posting sets.

Apart from ``watching`` (where members choose levels for threads they can see) so that the
posting services can use it without importing in a circle.
"""

from __future__ import annotations

from sqlalchemy import CompoundSelect, select

from community.extensions import db
from community.forum.models import CommunityWatch, Thread, ThreadWatch, WatchLevel
from community.members.models import Member


def muted_thread_ids(member: Member) -> CompoundSelect:
    """A subquery of thread ids the member has muted, directly or through their community."""
    by_thread = select(ThreadWatch.thread_id).where(
        ThreadWatch.member_id == member.id, ThreadWatch.level == WatchLevel.MUTED.value
    )
    muted_communities = select(CommunityWatch.community_id).where(
        CommunityWatch.member_id == member.id, CommunityWatch.level == WatchLevel.MUTED.value
    )
    unmuted_threads = select(ThreadWatch.thread_id).where(
        ThreadWatch.member_id == member.id, ThreadWatch.level != WatchLevel.MUTED.value
    )
    by_community = select(Thread.id).where(
        Thread.community_id.in_(muted_communities), Thread.id.not_in(unmuted_threads)
    )
    return by_thread.union(by_community)


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
