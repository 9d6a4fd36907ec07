"""Day-before reminders and waiting-list promotions, through the notification system: once,
only to those going, and only to members whose tier still reaches the event."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.events import rsvps
from community.events.reminders import send_due_reminders
from community.extensions import db
from community.notifications.models import Notification
from tests import factories
from tests.conftest import run_queued_work
from tests.factories.events import make_event


def starting_in(hours: float, **overrides):
    start = (utcnow() + timedelta(hours=hours)).replace(tzinfo=None, microsecond=0)
    return make_event(starts_local=start, ends_local=start + timedelta(hours=1), **overrides)


def reminded() -> list[tuple[int, str]]:
    """Who was reminded, once the worker has run the queued reminders."""
    run_queued_work()
    return sorted(
        db.session.execute(
            select(Notification.member_id, Notification.text).where(
                Notification.kind == "event_reminder"
            )
        ).all()
    )


def test_going_members_are_reminded_once_a_day_before(app, outbox):
    event = starting_in(20, title="Board reporting clinic", min_tier="executive")
    going = factories.make_member(tier_slug="executive")
    maybe = factories.make_member(tier_slug="executive")
    not_going = factories.make_member(tier_slug="council")
    demoted = factories.make_member(tier_slug="council")
    rsvps.respond(going, event.id, "going")
    rsvps.respond(maybe, event.id, "maybe")
    rsvps.respond(not_going, event.id, "not_going")
    rsvps.respond(demoted, event.id, "going")
    demoted.tier = factories.tier("strategist")  # no longer reaches the event
    commit()
    outbox.clear()

    assert send_due_reminders(utcnow()) == 1
    assert send_due_reminders(utcnow()) == 0  # safe to run again: nobody hears twice

    [(member_id, text)] = reminded()
    assert member_id == going.id
    assert text.startswith("Reminder: “Board reporting clinic” starts ")
    assert [m["Subject"] for m in outbox.to(going.email)] == [text]  # emailed by default
    assert outbox.to(demoted.email) == []


def test_only_events_starting_within_a_day_and_not_cancelled_are_reminded(app):
    member = factories.make_member()
    later = starting_in(30)
    cancelled = starting_in(5)
    started = starting_in(2)
    for event in (later, cancelled, started):
        rsvps.respond(member, event.id, "going")
    cancelled.cancelled_at = utcnow()
    started.starts_at = utcnow() - timedelta(minutes=1)
    commit()
    assert send_due_reminders(utcnow()) == 0
    assert send_due_reminders(utcnow() + timedelta(hours=7)) == 1  # "later" is now within 24 h
    assert [text for _, text in reminded()] == [
        f"Reminder: “{later.title}” starts "
        f"{later.local_start:%a} {later.local_start.day} {later.local_start:%b, %H:%M %Z}"
    ]


def test_the_remind_command_is_safe_to_run_repeatedly(app):
    member = factories.make_member()
    rsvps.respond(member, starting_in(3).id, "going")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["events", "remind"])
    assert first.exit_code == 0 and "Reminders sent for 1 event." in first.output
    second = runner.invoke(args=["events", "remind"])
    assert "Reminders sent for 0 events." in second.output
    assert len(reminded()) == 1


def test_a_promotion_is_told_only_to_a_member_who_still_sees_the_event(app):
    event = make_event(capacity=1, min_tier="executive")
    first = factories.make_member(tier_slug="executive")
    waiting = factories.make_member(tier_slug="executive")
    rsvps.respond(first, event.id, "going")
    rsvps.respond(waiting, event.id, "going")
    waiting.tier = factories.tier("strategist")
    commit()
    rsvps.respond(first, event.id, "maybe")
    assert rsvps.get_rsvp(waiting, event).answer == "going"
    assert db.session.scalars(select(Notification.id)).all() == []
