"""Who has muted what, as subqueries for other queries: a thread's own level wins over its
community's. Lists and unread counts leave muted threads out; ``watching`` sets the levels."""

from __future__ import annotations

from sqlalchemy import CompoundSelect, select

from community.forum.models import CommunityWatch, Thread, ThreadWatch, WatchLevel
from community.members.models import Member

MUTED = WatchLevel.MUTED.value


def muted_thread_ids(member: Member) -> CompoundSelect:
    """A subquery of thread ids the member has muted, directly or through their community."""
    by_thread = select(ThreadWatch.thread_id).where(
        ThreadWatch.member_id == member.id, ThreadWatch.level == MUTED
    )
    muted_communities = select(CommunityWatch.community_id).where(
        CommunityWatch.member_id == member.id, CommunityWatch.level == MUTED
    )
    unmuted_threads = select(ThreadWatch.thread_id).where(
        ThreadWatch.member_id == member.id, ThreadWatch.level != MUTED
    )
    by_community = select(Thread.id).where(
        Thread.community_id.in_(muted_communities), Thread.id.not_in(unmuted_threads)
    )
    return by_thread.union(by_community)


def members_muting(thread: Thread) -> CompoundSelect:
    """A subquery of the ids of members who muted ``thread``, directly or through its
    community (``muted_thread_ids`` seen from the thread's side)."""
    by_thread = select(ThreadWatch.member_id).where(
        ThreadWatch.thread_id == thread.id, ThreadWatch.level == MUTED
    )
    chose_for_thread = select(ThreadWatch.member_id).where(ThreadWatch.thread_id == thread.id)
    by_community = select(CommunityWatch.member_id).where(
        CommunityWatch.community_id == thread.community_id,
        CommunityWatch.level == MUTED,
        CommunityWatch.member_id.not_in(chose_for_thread),
    )
    return by_thread.union(by_community)
