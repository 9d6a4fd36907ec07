"""A community's thread list: a sort and a filter chosen in the page's address, and per
thread what the row shows (replies, participants, who posted last, the member's unread
posts). Every figure comes from counters kept on write (the thread's ``post_count`` and
``last_poster``, ``ThreadParticipant``, the member's ``UnreadThread`` rows), so a page costs
the same few queries at 5 threads or 5,000."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import cast

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import joinedload

from community import access
from community.core.pagination import OpenPage, paginate_open
from community.extensions import db
from community.forum import tracking
from community.forum.models import (
    Community,
    ReadPosition,
    Thread,
    ThreadParticipant,
    UnreadThread,
    listed_thread_community,
)
from community.members.models import Member

THREADS_PER_PAGE = 30
PARTICIPANTS_SHOWN = 3  # avatars per row; the row says how many there are in all


class ThreadSort(StrEnum):
    ACTIVITY = "activity"  # the default: pinned threads first, then the latest activity
    NEWEST = "newest"
    REPLIES = "replies"
    UNANSWERED = "unanswered"

    @property
    def label(self) -> str:
        return {
            "activity": "Latest activity",
            "newest": "Newest",
            "replies": "Most replies",
            "unanswered": "Unanswered first",
        }[self.value]


class ThreadFilter(StrEnum):
    ALL = "all"
    UNREAD = "unread"
    UNANSWERED = "unanswered"
    MINE = "mine"

    @property
    def label(self) -> str:
        return {
            "all": "All threads",
            "unread": "Unread",
            "unanswered": "Unanswered",
            "mine": "Started or joined by me",
        }[self.value]


@dataclass(frozen=True)
class ListChoice:
    sort: ThreadSort = ThreadSort.ACTIVITY
    show: ThreadFilter = ThreadFilter.ALL

    @classmethod
    def parse(cls, sort: str | None, show: str | None) -> ListChoice:
        """The list asked for in the address; anything unknown (an old link, a hand-edited
        address) gives the default rather than an error page."""
        sorts = {item.value: item for item in ThreadSort}
        filters = {item.value: item for item in ThreadFilter}
        return cls(
            sorts.get(sort or "", ThreadSort.ACTIVITY), filters.get(show or "", ThreadFilter.ALL)
        )

    @property
    def is_default(self) -> bool:
        return self == ListChoice()

    def as_args(self) -> dict[str, str]:
        """The address arguments that ask for this list again (the defaults left out)."""
        args = {}
        if self.sort is not ThreadSort.ACTIVITY:
            args["sort"] = self.sort.value
        if self.show is not ThreadFilter.ALL:
            args["show"] = self.show.value
        return args


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    replies: int
    participant_count: int
    participants: list[Member] = field(default_factory=list)  # the latest few, latest first
    unread: int = 0  # posts by others the member has not read (their tracking state)
    opened: bool = False  # the member has a read position: the row opens where they left off

    @property
    def is_new(self) -> bool:
        """Never opened, and something in it for them to read."""
        return bool(self.unread) and not self.opened


@dataclass(frozen=True)
class ThreadList:
    page: OpenPage[Thread]  # not counted: a count would grow with the community
    rows: list[ThreadRow]
    choice: ListChoice


def _ordered(query: Select[Thread], sort: ThreadSort) -> Select[Thread]:
    """Each sort follows one of the thread table's (community, ...) indexes."""
    if sort is ThreadSort.NEWEST:
        return query.order_by(Thread.created_at.desc(), Thread.id.desc())
    if sort is ThreadSort.REPLIES:
        return query.order_by(
            Thread.post_count.desc(), Thread.last_posted_at.desc(), Thread.id.desc()
        )
    if sort is ThreadSort.UNANSWERED:
        answered = case((Thread.post_count <= 1, 0), else_=1)
        return query.order_by(answered, Thread.last_posted_at.desc(), Thread.id.desc())
    return query.order_by(Thread.pinned.desc(), Thread.last_posted_at.desc(), Thread.id.desc())


def _filtered(query: Select[Thread], show: ThreadFilter, member: Member) -> Select[Thread]:
    if show is ThreadFilter.UNREAD:
        return query.join(
            UnreadThread,
            (UnreadThread.thread_id == Thread.id) & (UnreadThread.member_id == member.id),
        ).where(UnreadThread.unread > 0)
    if show is ThreadFilter.UNANSWERED:
        return query.where(Thread.post_count <= 1)
    if show is ThreadFilter.MINE:
        took_part = exists().where(
            ThreadParticipant.thread_id == Thread.id, ThreadParticipant.member_id == member.id
        )
        return query.where((Thread.author_id == member.id) | took_part)
    return query


def list_threads(
    member: Member, community: Community, page: int = 1, choice: ListChoice | None = None
) -> ThreadList:
    """One page of the community's threads the member may see, sorted and filtered as they
    chose, with what each row shows: four queries (tracking check, threads, the member's
    unread state, participants) whatever the number of threads. The page is not counted (a
    COUNT of the visible threads reads every one of them): it links to the next page when
    one more row than a page exists, and a member only ever sees threads they may open."""
    choice = choice or ListChoice()
    tracking.ensure_tracking(member)
    query = (
        select(Thread)
        .where(Thread.community_id == community.id, access.visible_threads_filter(member))
        .options(joinedload(Thread.last_poster), listed_thread_community())
    )
    query = _ordered(_filtered(query, choice.show, member), choice.sort)
    threads: OpenPage[Thread] = paginate_open(query, page, THREADS_PER_PAGE)
    ids = [thread.id for thread in threads.items]
    unread, opened = _unread_state(member, ids)
    participants, counts = _participants(ids)
    rows = [
        ThreadRow(
            thread=thread,
            replies=max(0, thread.post_count - 1),
            participant_count=counts.get(thread.id, 0),
            participants=participants.get(thread.id, []),
            unread=unread.get(thread.id, 0),
            opened=thread.id in opened,
        )
        for thread in threads.items
    ]
    return ThreadList(threads, rows, choice)


def _unread_state(member: Member, thread_ids: list[int]) -> tuple[dict[int, int], set[int]]:
    """thread id -> the member's unread posts there; and the threads they have opened."""
    if not thread_ids:
        return {}, set()
    rows = db.session.execute(
        select(UnreadThread.thread_id, UnreadThread.unread, ReadPosition.thread_id)
        .select_from(Thread)
        .outerjoin(
            UnreadThread,
            (UnreadThread.thread_id == Thread.id) & (UnreadThread.member_id == member.id),
        )
        .outerjoin(
            ReadPosition,
            (ReadPosition.thread_id == Thread.id) & (ReadPosition.member_id == member.id),
        )
        .where(Thread.id.in_(thread_ids))
    )
    unread: dict[int, int] = {}
    opened: set[int] = set()
    for unread_thread_id, count, read_thread_id in rows:
        if unread_thread_id is not None and count > 0:
            unread[unread_thread_id] = count
        if read_thread_id is not None:
            opened.add(read_thread_id)
    return unread, opened


def _participants(thread_ids: list[int]) -> tuple[dict[int, list[Member]], dict[int, int]]:
    """thread id -> its latest few participants, and how many there are in all (one query)."""
    if not thread_ids:
        return {}, {}
    ranked = (
        select(
            ThreadParticipant.thread_id,
            ThreadParticipant.member_id,
            func.row_number()
            .over(
                partition_by=ThreadParticipant.thread_id,
                order_by=(
                    ThreadParticipant.last_posted_at.desc(),
                    ThreadParticipant.member_id,
                ),
            )
            .label("rank"),
            func.count().over(partition_by=ThreadParticipant.thread_id).label("total"),
        )
        .where(ThreadParticipant.thread_id.in_(thread_ids))
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.thread_id, ranked.c.total, Member)
        .join(Member, Member.id == ranked.c.member_id)
        .where(ranked.c.rank <= PARTICIPANTS_SHOWN)
        .order_by(ranked.c.thread_id, ranked.c.rank)
    )
    shown: dict[int, list[Member]] = {}
    counts: dict[int, int] = {}
    for thread_id, total, participant in rows:  # the subquery's columns carry no types
        key = cast(int, thread_id)
        shown.setdefault(key, []).append(cast(Member, participant))
        counts[key] = cast(int, total)
    return shown, counts
