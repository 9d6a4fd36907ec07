"""Events in, notifications out: day-before reminders and places opened on a waiting list.

``notify`` asks the access module about the event for each member when it is delivered: a
member whose tier dropped since they answered hears nothing about it.
"""

from __future__ import annotations

from community.core.events import subscribe
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


def on_event_reminder_due(event_id: int) -> None:
    event = db.session.get(Event, event_id)
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


def on_rsvp_promoted(event_id: int, member_id: int) -> None:
    event = db.session.get(Event, event_id)
    if event is None or event.is_cancelled:
        return
    notify(
        [member_id],
        Draft(
            kind="rsvp_promoted",
            text=f"A place opened for you at “{event.title}” ({_starts(event)}): you are going",
            url=path_for("events.show", event_id=event.id),
            event=event,
        ),
    )


def subscribe_all() -> None:
    subscribe("event_reminder_due", on_event_reminder_due)
    subscribe("rsvp_promoted", on_rsvp_promoted)
