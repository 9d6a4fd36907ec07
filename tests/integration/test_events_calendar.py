"""The .ics download parsed back with the `icalendar` package, and its folding and escaping."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from community.core.events import commit
from tests import factories
from tests.factories.events import make_event

TRICKY_TITLE = "Budgets; vendors, and “what we'd do again”"
LONG_DESCRIPTION = (
    "Line one, with commas; and semicolons.\nLine two: a back\\slash.\n\n"
    + "Ünïcödé everywhere so folding must not split a character. " * 5
)


def test_the_calendar_file_parses_back_to_the_same_event(as_member):
    owner = factories.make_member("owner")
    event = make_event(
        owner,
        title=TRICKY_TITLE,
        description=LONG_DESCRIPTION,
        timezone="America/New_York",
        starts_local=datetime(2027, 3, 15, 10, tzinfo=UTC).replace(tzinfo=None),
        ends_local=datetime(2027, 3, 15, 11, 30, tzinfo=UTC).replace(tzinfo=None),
        location="Contoso HQ, 5th floor; room 12",
    )
    client, _ = as_member()
    response = client.get(f"/events/{event.id}.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="event-{event.id}.ics"'
    )
    raw = response.get_data()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    calendar = icalendar.Calendar.from_ical(raw.decode("utf-8"))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"event-{event.id}@council"
    assert vevent.decoded("DTSTART") == datetime(2027, 3, 15, 14, tzinfo=UTC)  # 10:00 EDT
    assert vevent.decoded("DTEND") == datetime(2027, 3, 15, 15, 30, tzinfo=UTC)
    assert str(vevent["SUMMARY"]) == TRICKY_TITLE
    assert str(vevent["LOCATION"]) == "Contoso HQ, 5th floor; room 12"
    description = str(vevent["DESCRIPTION"])
    assert description.startswith(LONG_DESCRIPTION.strip())
    assert description.endswith(f"Details and RSVP: http://127.0.0.1:5000/events/{event.id}")
    assert str(vevent["URL"]) == f"http://127.0.0.1:5000/events/{event.id}"
    assert str(vevent["STATUS"]) == "CONFIRMED"


def test_the_uid_is_stable_and_a_cancelled_event_says_so(as_member):
    event = make_event(online=True, link="https://meet.example.com/x", location="")
    client, _ = as_member()
    first = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}.ics").get_data())
    event.cancelled_at = event.updated_at
    commit()
    again = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}.ics").get_data())
    [one], [two] = first.walk("VEVENT"), again.walk("VEVENT")
    assert one["UID"] == two["UID"]
    assert str(one["LOCATION"]) == "https://meet.example.com/x"
    assert "Join online: https://meet.example.com/x" in str(one["DESCRIPTION"])
    assert str(two["STATUS"]) == "CANCELLED"
