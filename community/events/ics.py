"""iCalendar (RFC 5545) for events, built with the ``icalendar`` library: the one-event file
and a member's feed.

Times are written in the event's own zone (``DTSTART;TZID=Europe/Paris:...``) with the zone's
VTIMEZONE in the calendar, so a calendar shows the time the organisers meant on either side of a
daylight-saving change; an event in UTC is written with ``Z``. The library escapes text, folds
lines at 75 octets and ends them with CRLF. The UID is stable for the event's lifetime and
SEQUENCE grows with each edit, so subscribed calendars replace their copy instead of adding one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import icalendar

from community.core.clock import utcnow
from community.core.urls import external_url
from community.events.models import Event

PRODID = "-//Council//Events//EN"
UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Zulu", "Etc/Zulu", "UCT"})


def event_uid(event: Event) -> str:
    """Stable for the event's lifetime, so calendars update the entry rather than add one."""
    return f"event-{event.id}@council"


def render_event(event: Event, now: datetime | None = None) -> bytes:
    """A calendar file holding one event (METHOD:PUBLISH, for a download)."""
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(_vevent(event, now or utcnow()))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def render_feed(events: Iterable[Event], title: str, now: datetime | None = None) -> bytes:
    """A subscribable calendar of ``events`` (no METHOD: clients poll it and keep it in step)."""
    calendar = _calendar()
    calendar.add("x-wr-calname", title)
    stamp = now or utcnow()
    for event in events:
        calendar.add_component(_vevent(event, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _calendar() -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def _local(event: Event, moment: datetime) -> datetime:
    """The instant in the event's zone, or in UTC (written with Z) for a UTC event."""
    return moment.astimezone(UTC if event.timezone in UTC_ZONES else event.zone)


def _vevent(event: Event, now: datetime) -> icalendar.Event:
    page = external_url("events.show", event_id=event.id)
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", now.astimezone(UTC))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", _local(event, event.starts_at))
    vevent.add("dtend", _local(event, event.ends_at))
    vevent.add("summary", event.title)
    vevent.add("description", _description(event, page))
    vevent.add("location", event.link if event.online else event.location)
    vevent.add("url", page)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return vevent


def _description(event: Event, page: str) -> str:
    parts = [event.description.strip()] if event.description.strip() else []
    if event.online:
        parts.append(f"Join online: {event.link}")
    parts.append(f"Details and RSVP: {page}")
    return "\n\n".join(parts)
