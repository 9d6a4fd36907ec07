"""Answers to events: going, maybe, not going, and a first-come waiting list when full.

No overbooking, even when many members answer at the same moment: every answer first takes a
write lock on the event's row and only then counts the places taken (see ``lock_event``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from community import access
from community.core.clock import utcnow
from community.core.domain_events import RsvpPromoted
from community.core.errors import DomainError, NotFound
from community.core.events import commit, publish
from community.events.models import Answer, Event, Rsvp
from community.extensions import db
from community.members.models import Member
from community.metrics.services import record

CHOICES = (Answer.GOING, Answer.MAYBE, Answer.NOT_GOING)


def lock_event(event_id: int) -> Event | None:
    """Lock the event's row until the commit, then read it afresh.

    The lock is a write (a no-op UPDATE) so that it works on both databases: PostgreSQL holds a
    row lock until the transaction ends, and on SQLite a write as the transaction's first
    statement waits for the single writer's lock (``busy_timeout``), after which every read
    sees the latest commit. Two answers to one event therefore count the places one at a time.
    """
    db.session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(waitlist_counter=Event.waitlist_counter)
        .execution_options(synchronize_session=False)
    )
    return db.session.scalars(
        select(Event).where(Event.id == event_id).execution_options(populate_existing=True)
    ).first()


def going_count(event: Event) -> int:
    return (
        db.session.scalar(
            select(func.count(Rsvp.id)).where(
                Rsvp.event_id == event.id, Rsvp.answer == Answer.GOING
            )
        )
        or 0
    )


def _has_room(event: Event) -> bool:
    return event.capacity is None or going_count(event) < event.capacity


def get_rsvp(member: Member, event: Event) -> Rsvp | None:
    return db.session.scalars(
        select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.member_id == member.id)
    ).first()


def check_open(member: Member, event: Event | None) -> None:
    """Raise unless the member may answer the event now."""
    if event is None or not access.can_see_event(member, event):
        raise NotFound("There is no such event.")
    if event.is_cancelled:
        raise DomainError("This event was cancelled; it takes no answers.")
    if event.has_started(utcnow()):
        raise DomainError("This event has already started; answers are closed.")


def respond(member: Member, event_id: int, answer: str) -> Rsvp:
    """Record the member's answer. "Going" to a full event joins the waiting list; a going
    member who steps back hands their place to the first one waiting, who is told."""
    try:
        chosen = Answer(answer)
    except ValueError:
        raise DomainError("Choose going, maybe or not going.") from None
    if chosen not in CHOICES:
        raise DomainError("Choose going, maybe or not going.")
    event = lock_event(event_id)
    try:
        check_open(member, event)
    except DomainError:
        db.session.rollback()  # let go of the lock at once, not when the request ends
        raise
    assert event is not None
    rsvp = get_rsvp(member, event)
    if rsvp is None:
        rsvp = Rsvp(event_id=event.id, member_id=member.id, answer=Answer.NOT_GOING)
        db.session.add(rsvp)
    was_going = rsvp.answer == Answer.GOING
    if chosen == Answer.GOING:
        if rsvp.answer not in (Answer.GOING, Answer.WAITING):  # asking again keeps the place
            _going_or_waiting(event, rsvp)
    else:
        rsvp.answer, rsvp.waitlist_number = chosen.value, None
        rsvp.answered_at = utcnow()
    db.session.flush()
    if was_going and rsvp.answer != Answer.GOING:
        promote_waiting(event)
    record(member, "rsvp", "event", event.id)
    commit()
    return rsvp


def _going_or_waiting(event: Event, rsvp: Rsvp) -> None:
    rsvp.answered_at = utcnow()
    if _has_room(event):
        rsvp.answer, rsvp.waitlist_number = Answer.GOING.value, None
    else:
        event.waitlist_counter += 1
        rsvp.answer, rsvp.waitlist_number = Answer.WAITING.value, event.waitlist_counter


def promote_waiting(event: Event) -> list[Rsvp]:
    """Move the first ones waiting to "going" while there is room, announcing each move after
    the commit. The caller holds the event's lock (``lock_event``)."""
    promoted = []
    while _has_room(event):
        first = db.session.scalars(
            select(Rsvp)
            .where(Rsvp.event_id == event.id, Rsvp.answer == Answer.WAITING)
            .order_by(Rsvp.waitlist_number, Rsvp.id)
            .limit(1)
        ).first()
        if first is None:
            break
        first.answer, first.waitlist_number = Answer.GOING.value, None
        first.answered_at = utcnow()
        db.session.flush()
        publish(RsvpPromoted(event_id=event.id, member_id=first.member_id))
        promoted.append(first)
    return promoted


def waiting_position(rsvp: Rsvp) -> int | None:
    """1 for the next in line."""
    if rsvp.answer != Answer.WAITING or rsvp.waitlist_number is None:
        return None
    ahead = db.session.scalar(
        select(func.count(Rsvp.id)).where(
            Rsvp.event_id == rsvp.event_id,
            Rsvp.answer == Answer.WAITING,
            Rsvp.waitlist_number < rsvp.waitlist_number,
        )
    )
    return (ahead or 0) + 1


@dataclass(frozen=True)
class Attendance:
    """The figures on an event page; the lists of names are for managers only."""

    counts: dict[str, int]  # answer -> members
    going: list[Member]
    waiting: list[Member]


def get_attendance(event: Event) -> Attendance:
    counts = dict.fromkeys([a.value for a in Answer], 0)
    rows = db.session.execute(
        select(Rsvp.answer, func.count(Rsvp.id))
        .where(Rsvp.event_id == event.id)
        .group_by(Rsvp.answer)
    )
    counts.update(dict(rows.all()))

    def members(answer: Answer, *order) -> list[Member]:
        return list(
            db.session.scalars(
                select(Member)
                .join(Rsvp, Rsvp.member_id == Member.id)
                .where(Rsvp.event_id == event.id, Rsvp.answer == answer)
                .order_by(*order)
            )
        )

    return Attendance(
        counts,
        members(Answer.GOING, Rsvp.answered_at, Rsvp.id),
        members(Answer.WAITING, Rsvp.waitlist_number, Rsvp.id),
    )


def going_member_ids(event: Event) -> list[int]:
    return list(
        db.session.scalars(
            select(Rsvp.member_id).where(Rsvp.event_id == event.id, Rsvp.answer == Answer.GOING)
        )
    )
