"""Each member's unread state, kept up to date on write (Discourse keeps per-user topic
tracking state for the same reason), so home ("what's new") and the communities index read a
few rows by index, at 50 threads or 50,000, instead of scanning every thread since the member
joined.

What counts. A member's unread posts in a thread are the posts every reader sees (neither
held nor deleted), written by someone else, numbered above their read position, in a thread
they may see in lists and have not muted, active since 30 days before they joined.
``UnreadThread`` holds one row per thread with any; ``UnreadCommunity`` their sum per
community, which the two always agree on (every change below moves both in one transaction).

How it stays right:
- A new post (a queued ``PostCreated`` handler, off the request): every member who counts the
  thread gets the posts above their row's ``counted_up_to`` (or above their read position)
  added, in one set-based statement per table. Counting from ``counted_up_to`` makes the
  handler idempotent and order-free: a retried or late task never counts a post twice.
- Reading (``forget_read``, from ``mark_read``): the row keeps only the posts above the new
  read position.
- A change to who sees a thread or which of its posts count (held, released, deleted, moved,
  its resource's audience) recounts that thread for every member (``recount_thread``); a
  member's own level on a thread recounts it for them alone.
- A wider change (the member's tier, role or status; a mute of a whole community; a
  community's audience) marks the member stale (``mark_stale``, ``mark_everyone_stale``): the
  next page that needs the state rebuilds it with the old scan, once (``rebuild_tracking``).
  A member who never had state (new, or every member after the upgrade) is stale too.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    delete,
    event,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from community import access
from community.core.clock import utcnow
from community.core.domain_events import (
    CommunityChanged,
    MemberChanged,
    PostChanged,
    PostCreated,
    ResourceChanged,
    ThreadChanged,
)
from community.core.events import commit, subscribe_in_transaction
from community.core.models import upsert
from community.core.outbox import subscribe_queued
from community.extensions import db
from community.forum.models import (
    LIBRARY_CATEGORY,
    Community,
    Post,
    ReadPosition,
    Thread,
    TrackingBuilt,
    UnreadCommunity,
    UnreadThread,
)
from community.forum.muting import members_muting, muted_thread_ids
from community.members.models import Member

# Threads last active this long before a member joined still count as unread for them.
JOIN_WINDOW = timedelta(days=30)
# Members whose counts a new post updates in one write transaction.
TRACK_BATCH = 200


def _counted_posts(thread_id: Any, member_id: Any, above: Any, up_to: Any = None) -> Any:
    """How many of a thread's posts count as unread for a member, numbered above ``above``
    (and at most ``up_to``): a range of the (thread, number) index, so it costs the unread
    posts only."""
    query = select(func.count(Post.id)).where(
        Post.thread_id == thread_id,
        Post.number > above,
        access.posts_every_reader_sees_filter(),
        or_(Post.author_id.is_(None), Post.author_id != member_id),
    )
    if up_to is not None:
        query = query.where(Post.number <= up_to)
    return query.scalar_subquery()


def _counting_members(thread: Thread) -> ColumnElement[bool] | None:
    """A WHERE clause on members who count ``thread``: they see it in their lists and have not
    muted it. None when nobody does (deleted, held, or in an archived community), which is
    what ``access.visible_threads_filter`` says from the member's side."""
    if thread.deleted_at is not None or thread.is_held or thread.community.archived_at:
        return None
    return (
        access.community_readers_filter(thread.community)
        & access.discussed_resource_readers_filter(thread)
        & Member.id.not_in(members_muting(thread))
        & (Member.created_at <= thread.last_posted_at + JOIN_WINDOW)
    )


ROW_COLUMNS = [
    "member_id",
    "thread_id",
    "community_id",
    "in_library",
    "last_posted_at",
    "unread",
    "counted_up_to",
]


def _write_rows(rows: Select[Any]) -> None:
    """Insert these unread rows (``ROW_COLUMNS``), replacing any row already there: the one
    a concurrent writer may have put in first."""
    statement = upsert(UnreadThread).from_select(ROW_COLUMNS, rows)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["member_id", "thread_id"],
            set_={column: statement.excluded[column] for column in ROW_COLUMNS[2:]},
        )
    )


def _add_to_counts(counts: Select[int, int, int]) -> None:
    """Add (member_id, community_id, unread) to the members' community counts."""
    statement = upsert(UnreadCommunity).from_select(["member_id", "community_id", "unread"], counts)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["member_id", "community_id"],
            set_={"unread": UnreadCommunity.unread + statement.excluded.unread},
        )
    )


def _add_rows_to_counts(thread_id: int, member_id: int | None = None) -> None:
    """Add the thread's rows (or one member's) to their communities' counts."""
    rows = select(UnreadThread.member_id, UnreadThread.community_id, UnreadThread.unread).where(
        UnreadThread.thread_id == thread_id
    )
    if member_id is not None:
        rows = rows.where(UnreadThread.member_id == member_id)
    _add_to_counts(rows)


def _take_rows_from_counts(thread_id: int, member_id: int | None = None) -> None:
    """Take the thread's rows (or one member's) out of their communities' counts: each row
    carries its own community, so a moved thread leaves the one it was counted in."""
    row_unread = select(UnreadThread.unread).where(
        UnreadThread.thread_id == thread_id,
        UnreadThread.member_id == UnreadCommunity.member_id,
        UnreadThread.community_id == UnreadCommunity.community_id,
    )
    holders = select(UnreadThread.member_id).where(UnreadThread.thread_id == thread_id)
    if member_id is not None:
        holders = holders.where(UnreadThread.member_id == member_id)
    db.session.execute(
        update(UnreadCommunity)
        .where(UnreadCommunity.member_id.in_(holders), row_unread.exists())
        .values(unread=UnreadCommunity.unread - row_unread.scalar_subquery())
    )


def count_new_posts(thread: Thread, members: ColumnElement[bool] | None = None) -> None:
    """Add the thread's posts above what each member's row counted: one statement for the
    community counts, one for the rows, each over every member who counts the thread (and
    matches ``members``, a WHERE clause on ``Member``)."""
    counting = _counting_members(thread)
    if counting is None:
        return
    if members is not None:
        counting = counting & members
    last_read = func.coalesce(ReadPosition.last_read_number, 0)
    above = func.coalesce(UnreadThread.counted_up_to, last_read)
    added = _counted_posts(thread.id, Member.id, above)
    # Members, their current row (if any) and what the thread's new posts add for them. The
    # counts are written before the rows, the order ``forget_read`` locks them in, so the two
    # wait for each other on PostgreSQL instead of deadlocking.
    changes = (
        select(
            Member.id.label("member_id"),
            (func.coalesce(UnreadThread.unread, 0) + added).label("unread"),
            added.label("added"),
        )
        .outerjoin(
            ReadPosition,
            (ReadPosition.member_id == Member.id) & (ReadPosition.thread_id == thread.id),
        )
        .outerjoin(
            UnreadThread,
            (UnreadThread.member_id == Member.id) & (UnreadThread.thread_id == thread.id),
        )
        .where(counting)
        .subquery()
    )
    _add_to_counts(
        select(changes.c.member_id, literal(thread.community_id, Integer), changes.c.added).where(
            changes.c.added > 0
        )
    )
    _write_rows(
        select(
            changes.c.member_id,
            literal(thread.id, Integer),
            literal(thread.community_id, Integer),
            literal(thread.community.is_library, UnreadThread.in_library.type),
            literal(thread.last_posted_at, UnreadThread.last_posted_at.type),
            changes.c.unread,
            literal(thread.highest_post_number, Integer),
        ).where(changes.c.added > 0)
    )


def recount_thread(thread: Thread, member: Member | None = None) -> None:
    """Count the thread again from the posts, for every member (or one): after it was held,
    released, deleted or moved, one of its posts was, or its audience or a mute changed."""
    db.session.flush()  # a moved thread's new community, a held post: the counts read them
    _take_rows_from_counts(thread.id, member.id if member else None)
    stale_rows = delete(UnreadThread).where(UnreadThread.thread_id == thread.id)
    if member is not None:
        stale_rows = stale_rows.where(UnreadThread.member_id == member.id)
    db.session.execute(stale_rows)
    counting = _counting_members(thread)
    if counting is None:
        return
    if member is not None:
        counting = counting & (Member.id == member.id)
    last_read = func.coalesce(ReadPosition.last_read_number, 0)
    counted = (
        select(
            Member.id.label("member_id"),
            _counted_posts(thread.id, Member.id, last_read).label("unread"),
        )
        .outerjoin(
            ReadPosition,
            (ReadPosition.member_id == Member.id) & (ReadPosition.thread_id == thread.id),
        )
        .where(counting)
        .subquery()
    )
    _write_rows(
        select(
            counted.c.member_id,
            literal(thread.id, Integer),
            literal(thread.community_id, Integer),
            literal(thread.community.is_library, UnreadThread.in_library.type),
            literal(thread.last_posted_at, UnreadThread.last_posted_at.type),
            counted.c.unread,
            literal(thread.highest_post_number, Integer),
        ).where(counted.c.unread > 0)
    )
    _add_rows_to_counts(thread.id, member.id if member else None)


def forget_read(member: Member, thread: Thread, up_to: int) -> None:
    """The member has read the thread up to post ``up_to``: their row keeps only the posts
    above it (and goes once none are left). Caller commits."""
    # Lock the community count, then the row: the order ``count_new_posts`` writes them in.
    db.session.execute(
        select(UnreadCommunity.unread)
        .where(
            UnreadCommunity.member_id == member.id,
            UnreadCommunity.community_id == thread.community_id,
        )
        .with_for_update()
    )
    row = db.session.scalars(
        select(UnreadThread)
        .where(UnreadThread.member_id == member.id, UnreadThread.thread_id == thread.id)
        .with_for_update()
    ).first()
    if row is None:
        return
    # Counted even when nothing can be left (an empty range of the index), so a thread page
    # issues the same statements whether it showed the last of the unread posts or not.
    counted = _counted_posts(thread.id, member.id, up_to, row.counted_up_to)
    remaining = min(db.session.scalar(select(counted)) or 0, row.unread)
    read = row.unread - remaining
    if remaining:
        row.unread = remaining
    else:
        db.session.delete(row)
    if read:
        db.session.execute(
            update(UnreadCommunity)
            .where(
                UnreadCommunity.member_id == member.id,
                UnreadCommunity.community_id == row.community_id,
            )
            .values(unread=UnreadCommunity.unread - read)
        )


# --- A member's whole state: built on first need, rebuilt when marked stale --------------------


def rebuild_tracking(member: Member) -> None:
    """Build the member's state from the threads (the scan the pages used to run on every
    visit, run once) and mark it built. Caller commits."""
    db.session.execute(delete(UnreadThread).where(UnreadThread.member_id == member.id))
    db.session.execute(delete(UnreadCommunity).where(UnreadCommunity.member_id == member.id))
    last_read = func.coalesce(ReadPosition.last_read_number, 0)
    library_communities = select(Community.id).where(Community.category == LIBRARY_CATEGORY)
    counted = (
        select(
            Thread.id.label("thread_id"),
            Thread.community_id,
            Thread.community_id.in_(library_communities).label("in_library"),
            Thread.last_posted_at,
            _counted_posts(Thread.id, member.id, last_read).label("unread"),
            Thread.highest_post_number,
        )
        .outerjoin(
            ReadPosition,
            (ReadPosition.thread_id == Thread.id) & (ReadPosition.member_id == member.id),
        )
        .where(
            access.visible_threads_filter(member),
            Thread.id.not_in(muted_thread_ids(member)),
            Thread.last_posted_at >= member.created_at - JOIN_WINDOW,
        )
        .subquery()
    )
    _write_rows(
        select(
            literal(member.id, Integer),
            counted.c.thread_id,
            counted.c.community_id,
            counted.c.in_library,
            counted.c.last_posted_at,
            counted.c.unread,
            counted.c.highest_post_number,
        ).where(counted.c.unread > 0)
    )
    _add_to_counts(
        select(UnreadThread.member_id, UnreadThread.community_id, func.sum(UnreadThread.unread))
        .where(UnreadThread.member_id == member.id)
        .group_by(UnreadThread.member_id, UnreadThread.community_id)
    )
    built = upsert(TrackingBuilt).values(member_id=member.id, built_at=utcnow())
    db.session.execute(
        built.on_conflict_do_update(
            index_elements=["member_id"], set_={"built_at": built.excluded.built_at}
        )
    )


# Session.info key: the members whose state this transaction has seen built. A page asks
# several times (home: "what's new" and the library's news); ``session.get`` alone would read
# the row again each time, as the identity map forgets a row nobody holds.
_BUILT_KEY = "tracking_built_for"


def ensure_tracking(member: Member) -> None:
    """Rebuild the member's state if it is stale: one primary-key read per transaction when it
    is not (the answer is kept until the transaction ends or this session marks it stale)."""
    seen_built: set[int] = db.session.info.setdefault(_BUILT_KEY, set())
    if member.id in seen_built:
        return
    if db.session.get(TrackingBuilt, member.id) is None:
        rebuild_tracking(member)
        commit()
    db.session.info.setdefault(_BUILT_KEY, set()).add(member.id)


def mark_stale(member_id: int) -> None:
    """What the member may see or counts changed too widely to adjust: rebuild on next read."""
    db.session.info.get(_BUILT_KEY, set()).discard(member_id)
    db.session.execute(delete(TrackingBuilt).where(TrackingBuilt.member_id == member_id))


def mark_everyone_stale() -> None:
    """A community's audience changed: every member rebuilds on their next read."""
    db.session.info.pop(_BUILT_KEY, None)
    db.session.execute(delete(TrackingBuilt))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_built(session: Session) -> None:
    """Another process may mark a member stale once this transaction ends: read it again."""
    session.info.pop(_BUILT_KEY, None)


# --- Kept up to date by the forum's and others' events ----------------------------------------


def track_new_post(event: PostCreated) -> None:
    """Queued: count a new post for every member who counts its thread, ``TRACK_BATCH``
    members per transaction. On SQLite a transaction holds the one write lock that the web
    worker's writes wait for: over 2,000 members in one go it held it for half a second. A
    retry after a failed batch recounts nothing the batches before it committed (each row
    remembers what it counted)."""
    post = db.session.get(Post, event.post_id)
    if post is None:
        return
    thread_id = post.thread_id
    member_ids = db.session.scalars(select(Member.id).order_by(Member.id)).all()
    for start in range(0, len(member_ids), TRACK_BATCH):
        batch = member_ids[start : start + TRACK_BATCH]
        thread = db.session.get_one(Thread, thread_id)
        count_new_posts(thread, Member.id.between(batch[0], batch[-1]))
        commit()


def _recount_post_thread(event: PostChanged) -> None:
    post = db.session.get(Post, event.post_id)
    if post is not None:
        recount_thread(post.thread)


def _recount_thread(event: ThreadChanged) -> None:
    thread = db.session.get(Thread, event.thread_id)
    if thread is not None:
        recount_thread(thread)


def _recount_resource_discussions(event: ResourceChanged) -> None:
    """A resource's audience may have changed: so has its discussions'."""
    for thread in db.session.scalars(select(Thread).where(Thread.resource_id == event.resource_id)):
        recount_thread(thread)


def _member_changed(event: MemberChanged) -> None:
    mark_stale(event.member_id)


def _community_changed(event: CommunityChanged) -> None:
    mark_everyone_stale()


def subscribe_tracking() -> None:
    """New posts are counted by the job runner (fan-out to every reader); the rarer changes of
    who sees what adjust the state inside the change's own transaction, so it commits or rolls
    back with it."""
    subscribe_queued(PostCreated, track_new_post)
    subscribe_in_transaction(PostChanged, _recount_post_thread)
    subscribe_in_transaction(ThreadChanged, _recount_thread)
    subscribe_in_transaction(ResourceChanged, _recount_resource_discussions)
    subscribe_in_transaction(MemberChanged, _member_changed)
    subscribe_in_transaction(CommunityChanged, _community_changed)
