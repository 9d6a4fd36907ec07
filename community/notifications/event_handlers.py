"""Events in, notifications out: day-before reminders and places opened on a waiting list.

``notify`` asks the access module about the event for each member when it is delivered: a
member whose tier dropped since they answered hears nothing about it.
"""

from __future__ import annotations

from community.core.domain_events import EventReminderDue, RsvpPromoted
from community.core.events import subscribe
from community.core.outbox import subscribe_queued
from community.core.timefmt import when_text
from community.core.urls import path_for
from community.events.models import Event
from community.events.rsvps import going_member_ids
from community.extensions import db
from community.notifications.services import Draft, notify


def _starts(event: Event) -> str:
    """ "Sat 13 Mar, 10:00 EST": in the event's own zone, as the event page shows it."""
    day = when_text(event.starts_at, "weekday", zone=event.timezone)
    return f"{day}, {when_text(event.starts_at, 'time', zone=event.timezone)}"


def on_event_reminder_due(due: EventReminderDue) -> None:
    event = db.session.get(Event, due.event_id)
    if event is None or event.is_cancelled:
        return
    notify(
        going_member_ids(event),
        Draft(
            kind="event_reminder",
            text=f"Reminder: “{event.title}” starts {_starts(event)}",
            url=path_for("events.show", event_id=event.id),
            event=event,
        ),
    )


def on_rsvp_promoted(promoted: RsvpPromoted) -> None:
    event = db.session.get(Event, promoted.event_id)
    if event is None or event.is_cancelled:
        return
    notify(
        [promoted.member_id],
        Draft(
            kind="rsvp_promoted",
            text=f"A place opened for you at “{event.title}” ({_starts(event)}): you are going",
            url=path_for("events.show", event_id=event.id),
            event=event,
        ),
    )


def subscribe_all() -> None:
    # Everyone going: queued, and queued in the very transaction that marks the reminder sent,
    # so a crash between the two can no longer lose the reminders.
    subscribe_queued(EventReminderDue, on_event_reminder_due)
    subscribe(RsvpPromoted, on_rsvp_promoted)  # one member
