"""The personal calendar feed, parsed back with ``icalendar`` as a calendar app would read it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import icalendar
from sqlalchemy import select

from community.core.events import commit
from community.events import rsvps, services
from community.events.models import CalendarFeed
from community.extensions import db
from tests import factories
from tests.factories.events import draft, make_event


def wall_clock(*parts: int) -> datetime:
    """A time on the event's clock, as the event form gives it (no zone)."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


def make_link(client) -> str:
    """Make (or reset) the link on the settings page; the path it shows, once."""
    page = client.submit("/settings/calendar", {"action": "reset"}).get_data(as_text=True)
    match = re.search(r'value="http://[^/]+(/calendar/[^"]+\.ics)"', page)
    assert match, page
    return match.group(1)


def feed_events(client, path: str) -> dict[str, icalendar.Event]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-store"
    calendar = icalendar.Calendar.from_ical(response.get_data())
    return {str(vevent["SUMMARY"]): vevent for vevent in calendar.walk("VEVENT")}


def test_the_feed_lists_what_the_member_is_going_to_in_the_event_zone(app, as_member):
    client, member = as_member(tier="council")
    paris = make_event(
        title="Paris breakfast",
        timezone="Europe/Paris",
        starts_local=wall_clock(2027, 3, 27, 9),  # the day before summer time
        ends_local=wall_clock(2027, 3, 28, 10),  # after it: 10:00 is +02:00
    )
    skipped = make_event(title="Not for me")
    rsvps.respond(member, paris.id, "going")
    rsvps.respond(member, skipped.id, "not_going")
    path = make_link(client)
    visitor = app.test_client()  # calendar apps send no cookie

    calendar = icalendar.Calendar.from_ical(visitor.get(path).get_data())
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Paris breakfast"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("DTSTART") == datetime(2027, 3, 27, 8, 0, tzinfo=UTC)
    assert vevent.decoded("DTEND") == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert str(vevent["UID"]) == f"event-{paris.id}@council"
    assert vevent.decoded("SEQUENCE") == 0 and str(vevent["STATUS"]) == "CONFIRMED"
    # Only the hash is kept: the database never holds the secret itself.
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    stored = db.session.scalars(select(CalendarFeed.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0]


def test_edits_bump_the_sequence_and_a_cancellation_says_cancelled(app, as_member):
    client, member = as_member()
    owner = factories.make_member("owner")
    event = make_event(owner, title="Roundtable")
    rsvps.respond(member, event.id, "going")
    path = make_link(client)
    first = feed_events(client, path)["Roundtable"]

    services.update_event(owner, event.id, draft(title="Roundtable", location="New room"))
    moved = feed_events(client, path)["Roundtable"]
    assert moved["UID"] == first["UID"]
    assert moved.decoded("SEQUENCE") == first.decoded("SEQUENCE") + 1
    assert str(moved["LOCATION"]) == "New room"

    services.cancel_event(owner, event.id)
    cancelled = feed_events(client, path)["Roundtable"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled.decoded("SEQUENCE") == moved.decoded("SEQUENCE") + 1


def test_an_event_out_of_the_member_tier_never_appears_and_tier_changes_apply_at_once(
    app, as_member
):
    client, member = as_member(tier="council")
    inner = make_event(title="Council only", min_tier="council")
    open_to_all = make_event(title="Open to all")
    rsvps.respond(member, inner.id, "going")
    rsvps.respond(member, open_to_all.id, "going")
    path = make_link(client)
    assert set(feed_events(client, path)) == {"Council only", "Open to all"}

    member.tier = factories.tier("strategist")
    commit()
    body = client.get(path).get_data(as_text=True)
    assert "Council only" not in body and f"event-{inner.id}@" not in body
    assert set(feed_events(client, path)) == {"Open to all"}


def test_resetting_voids_the_old_link_and_bad_links_all_answer_404(app, as_member):
    client, member = as_member()
    rsvps.respond(member, make_event(title="Kept in step").id, "going")
    old = make_link(client)
    assert "Reset the link" in client.get("/settings/calendar").get_data(as_text=True)
    new = make_link(client)
    visitor = app.test_client()
    assert old != new
    missing = visitor.get("/calendar/never-made.ics")
    for path in (old, "/calendar/never-made.ics", "/calendar/" + "x" * 5000 + ".ics"):
        response = visitor.get(path)
        assert response.status_code == 404
        assert response.get_data() == missing.get_data()  # old and missing look the same
    assert "Kept in step" in feed_events(visitor, new)

    client.submit("/settings/calendar", {"action": "stop"})
    assert visitor.get(new).status_code == 404


def test_a_revoked_member_feed_stops_and_the_feed_is_rate_limited(app, as_member):
    client, _ = as_member()
    path = make_link(client)
    visitor = app.test_client()
    answers = [visitor.get(path).status_code for _ in range(31)]
    assert answers == [200] * 30 + [429]

    other_client, other = as_member()
    other_path = make_link(other_client)
    other.status = "revoked"
    commit()
    assert visitor.get(other_path).status_code == 404
