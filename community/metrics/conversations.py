"""Who posted in which thread on which day, and when each thread got its first answer: the
rollups that spare community health, cross-company conversations and responsiveness from
reading every post of their periods (and, for first replies, every post ever).

A finished day is read from ``PosterDay`` once the job has rolled it up after the day ended
(a ``RolledDay`` row); every other day (today, a day from before these tables, a day the
job missed) is read from the posts themselves, so a figure never depends on whether the job
has run. First replies are the earlier of the stored one (``ThreadReply``) and the first
answer among the posts of the days not rolled up.

Late changes: a reply to an old thread is a post of today, read live, and today's rollup
stores the thread's new first reply. A post deleted (or held, or released) later, or a
reaction taken back, leaves the rows of its day wrong, and a reaction taken back leaves no row
to find afterwards: so the change un-marks the day in its own unit of work (and recomputes the
thread's first reply). That day is read from the posts and reactions until the job rolls it
up again, on its next run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)

from community.core.clock import utcnow
from community.core.domain_events import PostChanged, ReactionWithdrawn
from community.core.events import subscribe_in_transaction
from community.extensions import db
from community.forum.models import Post, Reaction, Thread
from community.metrics.models import PosterDay, ReactionDay, RolledDay, ThreadReply

# Thread ids per statement when recomputing first replies (well under SQLite's limit).
THREADS_PER_STATEMENT = 500

Runs = list[tuple[date, date]]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _runs(days: Iterable[date]) -> Runs:
    """Sorted days as (first, last) runs of consecutive days."""
    runs: Runs = []
    for day in sorted(days):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def rolled_and_live(first: date, last: date) -> tuple[Runs, Runs]:
    """The days of ``first`` to ``last`` read from the rollup, and those read from the posts."""
    today = utcnow().date()
    rolled = set(
        db.session.scalars(
            select(RolledDay.day).where(
                RolledDay.day.between(first, min(last, today - timedelta(days=1)))
            )
        )
    )
    every_day = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return _runs(rolled), _runs(day for day in every_day if day not in rolled)


def _on_days(column: Any, runs: Runs) -> ColumnElement[bool]:
    return or_(false(), *(column.between(first, last) for first, last in runs))


def _at_times(column: Any, runs: Runs) -> ColumnElement[bool]:
    return or_(
        false(),
        *(
            and_(column >= _start_of(first), column < _start_of(last + timedelta(days=1)))
            for first, last in runs
        ),
    )


def poster_rows(first: date, last: date) -> Subquery:
    """thread_id, author_id and posts for the posts (not deleted) written from ``first`` to
    ``last``: rows of ``PosterDay`` for rolled-up days, one row per post for the others."""
    rolled, live = rolled_and_live(first, last)
    parts: list[Select[int, int | None, int]] = []
    if rolled:
        parts.append(
            select(PosterDay.thread_id, PosterDay.author_id, PosterDay.posts).where(
                _on_days(PosterDay.day, rolled)
            )
        )
    if live or not parts:
        parts.append(
            select(Post.thread_id, Post.author_id, literal(1).label("posts")).where(
                _at_times(Post.created_at, live), Post.deleted_at.is_(None)
            )
        )
    return union_all(*parts).subquery("poster_rows")


def reaction_rows(first: date, last: date) -> Subquery:
    """thread_id and reactions for the reactions given from ``first`` to ``last``: rows of
    ``ReactionDay`` for rolled-up days, one row per reaction for the others."""
    rolled, live = rolled_and_live(first, last)
    parts: list[Select[int, int]] = []
    if rolled:
        parts.append(
            select(ReactionDay.thread_id, ReactionDay.reactions).where(
                _on_days(ReactionDay.day, rolled)
            )
        )
    if live or not parts:
        parts.append(
            select(Post.thread_id, literal(1).label("reactions"))
            .select_from(Reaction)
            .join(Post, Reaction.post_id == Post.id)
            .where(_at_times(Reaction.created_at, live))
        )
    return union_all(*parts).subquery("reaction_rows")


def _answers() -> ColumnElement[bool]:
    """A post that answers its thread: a reply, not deleted, by someone other than the
    thread's author (the author's own follow-ups are not an answer)."""
    return and_(
        Post.number > 1,
        Post.deleted_at.is_(None),
        Post.author_id.is_not(None),
        Thread.author_id.is_(None) | (Post.author_id != Thread.author_id),
    )


def live_first_replies(first: date) -> Subquery:
    """thread_id and replied_at: the first answer among the posts of the days not rolled up
    (today's, usually) to each thread started on ``first`` or later. A thread's first reply
    is the earlier of this and its ``ThreadReply``; the callers outer-join both rather than
    group their union, which would sort every stored row each time."""
    _, live = rolled_and_live(first, utcnow().date())
    return (
        select(Post.thread_id, func.min(Post.created_at).label("replied_at"))
        .join(Thread, Post.thread_id == Thread.id)
        .where(_answers(), _at_times(Post.created_at, live), Thread.created_at >= _start_of(first))
        .group_by(Post.thread_id)
        .subquery("live_first_replies")
    )


def earlier(stored: datetime | None, live: datetime | None) -> datetime | None:
    """The first reply from the stored one and the live one, either possibly missing."""
    return min((at for at in (stored, live) if at is not None), default=None)


@dataclass(frozen=True)
class ConversationCounts:
    """One day's posters, reactions and touched threads' first replies, counted and not yet
    stored."""

    day: date
    posters: list[dict[str, Any]]
    reactions: list[dict[str, Any]]
    thread_ids: list[int]
    first_replies: list[dict[str, Any]]


def count_conversations(day: date) -> ConversationCounts:
    """Read the day's ``PosterDay`` and ``ReactionDay`` rows and the first reply of every
    thread the day started or replied to, before anything is written, so the rollup never
    holds SQLite's write lock while it counts."""
    start, end = _start_of(day), _start_of(day + timedelta(days=1))
    touched = set(
        db.session.scalars(
            select(Thread.id).where(Thread.created_at >= start, Thread.created_at < end)
        )
    )
    touched.update(
        db.session.scalars(
            select(Post.thread_id).where(Post.created_at >= start, Post.created_at < end)
        )
    )
    thread_ids = sorted(touched)
    return ConversationCounts(
        day=day,
        posters=[
            {"day": day, "thread_id": thread_id, "author_id": author_id, "posts": posts}
            for thread_id, author_id, posts in db.session.execute(poster_day_query(day))
        ],
        reactions=[
            {"day": day, "thread_id": thread_id, "reactions": n}
            for thread_id, n in db.session.execute(reaction_day_query(day))
        ],
        thread_ids=thread_ids,
        first_replies=_first_reply_rows(thread_ids),
    )


def store_conversations(counts: ConversationCounts) -> None:
    """Replace the day's rows with ``counts`` and, once the day is over, mark it rolled up
    (the caller commits)."""
    day = counts.day
    db.session.execute(delete(PosterDay).where(PosterDay.day == day))
    db.session.execute(delete(ReactionDay).where(ReactionDay.day == day))
    if counts.posters:
        db.session.execute(insert(PosterDay), counts.posters)
    if counts.reactions:
        db.session.execute(insert(ReactionDay), counts.reactions)
    _store_first_replies(counts.thread_ids, counts.first_replies)
    if day < utcnow().date():
        db.session.execute(delete(RolledDay).where(RolledDay.day == day))
        db.session.execute(insert(RolledDay).values(day=day))


def poster_day_query(day: date) -> Select[int, int | None, int]:
    """One day's ``PosterDay`` rows (thread, author, posts), counted from the posts."""
    start = _start_of(day)
    return (
        select(Post.thread_id, Post.author_id, func.count())
        .where(
            Post.created_at >= start,
            Post.created_at < start + timedelta(days=1),
            Post.deleted_at.is_(None),
        )
        .group_by(Post.thread_id, Post.author_id)
    )


def first_reply_query(thread_ids: list[int]) -> Select[int, datetime]:
    """The first answer of each of these threads that has one, from all their posts."""
    return (
        select(Post.thread_id, func.min(Post.created_at))
        .join(Thread, Post.thread_id == Thread.id)
        .where(_answers(), Post.thread_id.in_(thread_ids))
        .group_by(Post.thread_id)
    )


def reaction_day_query(day: date) -> Select[int, int]:
    """One day's ``ReactionDay`` rows (thread, reactions given that day)."""
    start = _start_of(day)
    return (
        select(Post.thread_id, func.count())
        .select_from(Reaction)
        .join(Post, Reaction.post_id == Post.id)
        .where(Reaction.created_at >= start, Reaction.created_at < start + timedelta(days=1))
        .group_by(Post.thread_id)
    )


def days_to_roll_again() -> list[date]:
    """Finished days that lost their mark to a late change since the job first rolled one
    up: the job rolls them up again."""
    yesterday = utcnow().date() - timedelta(days=1)
    oldest = db.session.scalar(select(func.min(RolledDay.day)))
    if oldest is None:
        return []
    _, live = rolled_and_live(oldest, yesterday)
    return [
        first + timedelta(days=n) for first, last in live for n in range((last - first).days + 1)
    ]


def _unmark(day: date) -> None:
    db.session.execute(delete(RolledDay).where(RolledDay.day == day))


def _on_reaction_withdrawn(event: ReactionWithdrawn) -> None:
    _unmark(date.fromisoformat(event.given_on))


def _on_post_changed(event: PostChanged) -> None:
    """Deleted, held or released: its day is read live until rolled up again, and its
    thread's first reply (which a deleted reply may have been) is recomputed now."""
    row = db.session.execute(
        select(Post.created_at, Post.thread_id).where(Post.id == event.post_id)
    ).first()
    if row is not None:
        _unmark(row.created_at.date())
        _store_first_replies([row.thread_id], _first_reply_rows([row.thread_id]))


def subscribe_rollup_listeners() -> None:
    # In the change's own unit of work: no moment where the change is committed and its
    # day still read from rows that predate it.
    subscribe_in_transaction(ReactionWithdrawn, _on_reaction_withdrawn)
    subscribe_in_transaction(PostChanged, _on_post_changed)


def _first_reply_rows(thread_ids: list[int]) -> list[dict[str, Any]]:
    return [
        {"thread_id": thread_id, "first_reply_at": at}
        for n in range(0, len(thread_ids), THREADS_PER_STATEMENT)
        for thread_id, at in db.session.execute(
            first_reply_query(thread_ids[n : n + THREADS_PER_STATEMENT])
        )
    ]


def _store_first_replies(thread_ids: list[int], rows: list[dict[str, Any]]) -> None:
    for n in range(0, len(thread_ids), THREADS_PER_STATEMENT):
        chunk = thread_ids[n : n + THREADS_PER_STATEMENT]
        db.session.execute(delete(ThreadReply).where(ThreadReply.thread_id.in_(chunk)))
    if rows:
        db.session.execute(insert(ThreadReply), rows)
