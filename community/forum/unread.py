"""What the member has not read yet: home's "what's new", its library news, and the unread
count per community, each read from the per-member tracking rows kept on write
(``forum/tracking.py``), so none of them scans the threads."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from community import access
from community.extensions import db
from community.forum import tracking
from community.forum.models import Thread, UnreadCommunity, UnreadThread, listed_thread_community
from community.members.models import Member


def whats_new(member: Member, limit: int = 20) -> list[tuple[Thread, int]]:
    """Threads with posts the member has not read, newest activity first, across the subject
    communities they see (library discussions are counted apart:
    ``library_discussions_with_news``): the member's newest tracking rows, by index
    (``forum/tracking.py``).
    The visibility filter is a second lock on the door: the rows are kept right on every
    change of who sees what, and a missed change still shows no title out of sight."""
    tracking.ensure_tracking(member)
    query = (
        select(Thread, UnreadThread.unread)
        .join(UnreadThread, UnreadThread.thread_id == Thread.id)
        .where(
            UnreadThread.member_id == member.id,
            UnreadThread.in_library.is_(False),
            access.visible_threads_filter(member),
        )
        .options(joinedload(Thread.last_poster), listed_thread_community())
        .order_by(UnreadThread.last_posted_at.desc())
        .limit(limit)
    )
    return [(thread, unread) for thread, unread in db.session.execute(query)]


# Home says "99+" past this: counting stops there, so a backlog costs no more than this.
LIBRARY_NEWS_CAP = 99


def library_discussions_with_news(member: Member) -> int:
    """How many library discussions have posts the member has not read, up to
    ``LIBRARY_NEWS_CAP + 1``: one range of the member's library rows, cut off there."""
    tracking.ensure_tracking(member)
    rows = (
        select(UnreadThread.thread_id)
        .where(UnreadThread.member_id == member.id, UnreadThread.in_library.is_(True))
        .limit(LIBRARY_NEWS_CAP + 1)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(rows)) or 0


def unread_by_community(member: Member) -> dict[int, int]:
    """community id -> the member's unread posts there (one row per community)."""
    tracking.ensure_tracking(member)
    rows = db.session.execute(
        select(UnreadCommunity.community_id, UnreadCommunity.unread).where(
            UnreadCommunity.member_id == member.id, UnreadCommunity.unread > 0
        )
    )
    return {community_id: int(total) for community_id, total in rows}
