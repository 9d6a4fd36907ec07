"""The unread badge: one number per member, kept on write.

The badge, ``/notifications/since`` and the socket payload all show ``unread_counts``: the sum
of ``count`` over the member's unread rows they may still open ("3 members reacted" is 3).
Counting that from the rows means loading them and asking the access module about each, for
every recipient of every delivery; so the number is kept in ``UnreadBadge`` instead, moved in
the same transaction as the rows it counts:

- a delivery adds one per recipient (a new row counts 1, a fold adds 1 to its row);
- reading a row takes its count off; reading them all sets 0;
- whatever changes who may open what (a thread moved, hidden or deleted, a post removed, a
  member's tier or role) marks the badges of the members with unread rows about it stale, in
  the changing transaction; until the job runner counts them again (``recount_stale_badges``,
  seconds later) or a delivery does, a read counts from the rows without storing.

Every member has a badge row from the moment they are created (``open_badge``; members from
before that got theirs from migration ``b7d2e4f1a9c3``), so the header reads one kept number
for every member and never counts for lack of a row.

Lock order, for PostgreSQL's concurrent writers: a delivery writes its rows before the badge,
reading them all takes the badge first; so a delivery racing "mark all read" is either marked
read with the rest or counted after the reset, never lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapper

from community import access
from community.core.cpu import cooperate
from community.core.events import commit
from community.events.models import Event
from community.extensions import db
from community.forum.models import Post, Thread
from community.library.models import Resource
from community.members.models import Member
from community.messages.models import Conversation
from community.notifications.models import Notification, UnreadBadge


@dataclass(frozen=True)
class _Subjects:
    """What a group of unread rows is about, loaded, for the access check."""

    thread: Thread | None
    post: Post | None
    event: Event | None
    resource: Resource | None
    conversation: Conversation | None


_SUBJECT_MODELS: tuple[tuple[Any, type[Any]], ...] = (
    (Notification.thread_id, Thread),
    (Notification.post_id, Post),
    (Notification.event_id, Event),
    (Notification.resource_id, Resource),
    (Notification.conversation_id, Conversation),
)


def open_badge(_mapper: Mapper[Member], connection: Connection, member: Member) -> None:
    """A new member's badge: nothing delivered yet, so 0 and fresh. Runs in the flush that
    inserts the member (a mapper ``after_insert`` hook, so every way of creating one gets it)."""
    connection.execute(insert(UnreadBadge).values(member_id=member.id, unread=0, version=0))


def count_delivered(member_ids: Sequence[int]) -> None:
    """One more unread event for each member (a new row, or one folded into an unread row)."""
    if not member_ids:
        return
    _ensure_badges(member_ids)
    db.session.execute(
        update(UnreadBadge)
        .where(UnreadBadge.member_id.in_(member_ids))
        .values(unread=UnreadBadge.unread + 1, version=UnreadBadge.version + 1)
    )


def count_read(member_id: int, events: int) -> None:
    """A row of ``events`` folded events was read. A badge that would drop below zero was
    wrong already: it goes stale and is counted again."""
    db.session.execute(
        update(UnreadBadge)
        .where(UnreadBadge.member_id == member_id)
        .values(
            unread=case((UnreadBadge.unread >= events, UnreadBadge.unread - events), else_=None),
            version=UnreadBadge.version + 1,
        )
    )


def count_all_read(member_id: int) -> None:
    """Everything was read. Called before the rows are marked (see the lock order above)."""
    _ensure_badges([member_id])
    db.session.execute(
        update(UnreadBadge)
        .where(UnreadBadge.member_id == member_id)
        .values(unread=0, version=UnreadBadge.version + 1)
    )


def mark_stale(member_ids: Any) -> None:
    """The badges of ``member_ids`` (ids, or a select of them) are counted again when next
    read: something they count may have moved out of (or back into) their reach."""
    db.session.execute(
        update(UnreadBadge)
        .where(UnreadBadge.member_id.in_(member_ids))
        .values(unread=None, version=UnreadBadge.version + 1)
        .execution_options(synchronize_session=False)
    )


def readers_of_unread(*conditions: Any) -> Any:
    """A select of the members with unread rows matching ``conditions``."""
    return select(Notification.member_id).where(Notification.read_at.is_(None), *conditions)


def unread_counts(members: Iterable[Member], store: bool = True) -> dict[int, int]:
    """Each member's unread count. Fresh badges are read in one query; stale ones are counted
    from the rows and, when ``store`` is set, kept (the caller commits). Read-only paths (a page)
    pass ``store=False``: they count without writing, until a delivery or a read stores it."""
    by_id = {member.id: member for member in members}
    if not by_id:
        return {}
    kept = dict(
        db.session.execute(
            select(UnreadBadge.member_id, UnreadBadge.unread).where(
                UnreadBadge.member_id.in_(by_id)
            )
        ).all()
    )
    counts = {}
    for member_id, member in by_id.items():
        unread = kept.get(member_id)
        counts[member_id] = unread if unread is not None else _recount(member, store)
    return counts


# Stale badges counted and stored per transaction by the job runner.
RECOUNT_BATCH = 50


def recount_stale_badges() -> int:
    """Count and store every stale badge, a batch per transaction with a yield between, so
    pages stop counting them on each view; returns how many were looked at. A badge that a
    delivery or a read moved meanwhile stays stale (see ``_recount``) and is left to them."""
    looked_at, after = 0, 0
    while True:
        batch = db.session.scalars(
            select(Member)
            .join(UnreadBadge, UnreadBadge.member_id == Member.id)
            .where(UnreadBadge.unread.is_(None), Member.id > after)
            .order_by(Member.id)
            .limit(RECOUNT_BATCH)
        ).all()
        if not batch:
            return looked_at
        unread_counts(batch)
        looked_at, after = looked_at + len(batch), batch[-1].id
        commit()
        cooperate()


def unread_count(member: Member) -> int:
    """The badge for pages and ``/notifications/since``: never writes."""
    return unread_counts([member], store=False)[member.id]


def _recount(member: Member, store: bool) -> int:
    """Count the member's unread rows they may open, one access check per distinct subject."""
    version = db.session.scalar(
        select(UnreadBadge.version).where(UnreadBadge.member_id == member.id)
    )
    groups = db.session.execute(
        select(*(column for column, _ in _SUBJECT_MODELS), func.sum(Notification.count))
        .where(Notification.member_id == member.id, Notification.read_at.is_(None))
        .group_by(*(column for column, _ in _SUBJECT_MODELS))
    ).all()
    subjects = _load_subjects(groups)
    unread = 0
    for group in groups:
        about = _Subjects(
            *(
                subjects[model].get(object_id)
                for (_, model), object_id in zip(_SUBJECT_MODELS, group[:5], strict=True)
            )
        )
        if access.can_open_notification(member, about):
            unread += int(group[5])
    if store and version is not None:
        # Only if no delivery or read moved the badge since ``version`` was read.
        db.session.execute(
            update(UnreadBadge)
            .where(
                UnreadBadge.member_id == member.id,
                UnreadBadge.unread.is_(None),
                UnreadBadge.version == version,
            )
            .values(unread=unread)
        )
    return unread


def _load_subjects(groups: Sequence[Any]) -> dict[type[Any], dict[int, Any]]:
    """Every object the groups are about, one query per kind of object."""
    wanted: dict[type[Any], set[int]] = defaultdict(set)
    for group in groups:
        for (_, model), object_id in zip(_SUBJECT_MODELS, group[:5], strict=True):
            if object_id is not None:
                wanted[model].add(object_id)
    loaded: dict[type[Any], dict[int, Any]] = {model: {} for _, model in _SUBJECT_MODELS}
    for model, ids in wanted.items():
        rows: Sequence[Any] = db.session.scalars(select(model).where(model.id.in_(ids))).all()
        loaded[model] = {row.id: row for row in rows}
    return loaded


def _ensure_badges(member_ids: Sequence[int]) -> None:
    """A badge row for each member, stale until counted (new rows race safely). One cached
    statement run for many parameter sets: a multi-row VALUES would be compiled every time."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(UnreadBadge).on_conflict_do_nothing(index_elements=[UnreadBadge.member_id]),
        [{"member_id": member_id, "unread": None, "version": 0} for member_id in member_ids],
    )
