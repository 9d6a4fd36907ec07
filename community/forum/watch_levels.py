"""Watch levels read inside other queries.

Apart from ``watching`` (where members choose levels for threads they can see) so that the
forum services can use it without importing in a circle.
"""

from __future__ import annotations

from sqlalchemy import CompoundSelect, select

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
