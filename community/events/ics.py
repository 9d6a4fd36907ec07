"""iCalendar (RFC 5545) files for events, written by hand: one VEVENT per file.

Text values are escaped (backslash, semicolon, comma, newline) and lines are folded at 75
octets of UTF-8 without splitting a character, with CRLF line ends as the RFC requires.
"""

from __future__ import annotations

from datetime import UTC, datetime

from community.core.clock import utcnow
from community.core.urls import external_url
from community.events.models import Event

PRODID = "-//Council//Events//EN"
FOLD_AT = 75  # octets per line, before the CRLF


def escape_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(raw, escaped)
    return value


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets; continuations start with a
    space (which counts towards their 75)."""
    chunks: list[str] = []
    current, size, limit = "", 0, FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, FOLD_AT - 1
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_uid(event: Event) -> str:
    """Stable for the event's lifetime, so calendars update the entry rather than add one."""
    return f"event-{event.id}@council"


def render_event(event: Event, now: datetime | None = None) -> str:
    page = external_url("events.show", event_id=event.id)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event_uid(event)}",
        f"DTSTAMP:{utc_stamp(now or utcnow())}",
        f"LAST-MODIFIED:{utc_stamp(event.updated_at)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(_description(event, page))}",
        f"LOCATION:{escape_text(event.link if event.online else event.location)}",
        f"URL:{page}",
        f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)


def _description(event: Event, page: str) -> str:
    parts = [event.description.strip()] if event.description.strip() else []
    if event.online:
        parts.append(f"Join online: {event.link}")
    parts.append(f"Details and RSVP: {page}")
    return "\n\n".join(parts)
