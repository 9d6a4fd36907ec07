"""Events: planning by owners and editors, the lists, the page, answers and the waiting list."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from community.core.clock import utcnow
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit
from community.events import rsvps, services
from community.events.models import Answer, Event
from community.extensions import db
from community.metrics.models import MetricEvent
from community.notifications.models import Notification
from tests import factories
from tests.factories.events import draft, make_event


def form(**overrides) -> dict:
    start = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT18:00")
    end = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT20:00")
    values = {
        "title": "Crisis comms workshop",
        "description": "Walk through a *real* incident, hour by hour.",
        "starts_at": start,
        "ends_at": end,
        "timezone": "Europe/Berlin",
        "location": "Fabrikam offices, Berlin",
        "link": "",
        "capacity": "20",
        "min_tier": "executive",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def wall(*parts: int) -> datetime:
    """A wall-clock time without a zone, as the form's datetime-local field gives it."""
    return datetime(*parts)  # noqa: DTZ001


def only_event() -> Event:
    return db.session.scalars(select(Event)).one()


# --- Planning ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_owners_and_editors_plan_an_event_through_the_form(as_member, role):
    client, _ = as_member(role, "council")
    assert client.get("/events/new").status_code == 200
    response = client.submit("/events/new", form())
    assert response.status_code == 302
    event = only_event()
    assert response.headers["Location"] == f"/events/{event.id}"
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Crisis comms workshop" in page
    assert "18:00</time>\N{EN DASH}20:00 CET" in page
    assert "<em>real</em>" in event.description_html
    assert event.capacity == 20 and event.min_tier.slug == "executive"


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_members_and_moderators_do_not_plan_events(as_member, role):
    client, _ = as_member(role, "council")
    assert client.get("/events/new").status_code == 403
    assert client.submit("/events/new", form()).status_code == 403
    assert db.session.scalar(select(Event.id)) is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": (utcnow() + timedelta(days=10)).strftime("%Y-%m-%dT17:00")}, "end after"),
        ({"online": "y", "link": "ftp://example.com/room"}, "http(s) link"),
        ({"online": "y", "link": ""}, "http(s) link"),
        ({"location": ""}, "where the event takes place"),
        ({"timezone": "Mars/Olympus_Mons"}, "time zone"),
        ({"capacity": "0"}, "Number must be"),
        ({"title": ""}, "This field is required"),
        ({"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00"}, "does not exist"),
    ],
)
def test_the_form_says_what_is_wrong(as_member, overrides, message):
    client, _ = as_member("owner")
    response = client.submit("/events/new", form(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Event.id)) is None


def test_an_online_event_keeps_its_link_and_no_place(as_member):
    client, _ = as_member("owner")
    client.submit("/events/new", form(online="y", link="https://meet.example.com/roi"))
    event = only_event()
    assert event.online and event.link == "https://meet.example.com/roi" and event.location == ""
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'href="https://meet.example.com/roi"' in page


def test_an_editor_plans_only_for_tiers_they_belong_to(app):
    editor = factories.make_member("editor", "executive")
    with pytest.raises(DomainError, match="tier you belong to"):
        services.create_event(editor, draft(min_tier="council"))
    assert services.create_event(editor, draft(min_tier="executive")).id


def test_editing_changes_the_event_and_a_moved_start_is_reminded_again(as_member):
    client, owner = as_member("owner")
    event = make_event(owner)
    event.reminder_sent_at = utcnow()
    commit()
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert "Social ROI roundtable" in page
    moved = form(title="Social ROI roundtable (moved)", min_tier="strategist")
    assert client.submit(f"/events/{event.id}/edit", moved).status_code == 302
    event = db.session.get(Event, event.id)
    assert event.title == "Social ROI roundtable (moved)" and event.timezone == "Europe/Berlin"
    assert event.reminder_sent_at is None


def test_a_member_cannot_edit_or_cancel(as_member):
    event = make_event()
    client, _ = as_member("member")
    assert client.get(f"/events/{event.id}/edit").status_code == 403
    assert client.submit(f"/events/{event.id}/edit", form()).status_code == 403
    assert client.submit(f"/events/{event.id}/cancel").status_code == 403
    assert db.session.get(Event, event.id).cancelled_at is None


def test_a_cancelled_event_stays_listed_marked_and_refuses_answers(as_member):
    owner_client, owner = as_member("owner")
    event = make_event(owner)
    response = owner_client.submit(f"/events/{event.id}/cancel", follow_redirects=True)
    assert "The event is cancelled." in response.get_data(as_text=True)
    client, member = as_member("member", "strategist")
    assert "Cancelled" in client.get("/events").get_data(as_text=True)
    page = client.submit(f"/events/{event.id}/rsvp", {"answer": "going"}, follow_redirects=True)
    assert "This event was cancelled" in page.get_data(as_text=True)
    assert rsvps.get_rsvp(member, event) is None
    with pytest.raises(DomainError, match="already cancelled"):
        services.cancel_event(owner, event.id)
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.update_event(owner, event.id, draft(title="Revived"))
    with pytest.raises(PermissionDenied):
        services.cancel_event(member, event.id)


# --- Lists -------------------------------------------------------------------------------


def test_the_list_shows_upcoming_events_soonest_first_and_past_ones_apart(as_member):
    owner = factories.make_member("owner")
    start = utcnow().replace(tzinfo=None, second=0, microsecond=0)
    later = make_event(
        owner,
        title="Later",
        starts_local=start + timedelta(days=9),
        ends_local=start + timedelta(days=9, hours=1),
    )
    sooner = make_event(
        owner,
        title="Sooner",
        starts_local=start + timedelta(days=2),
        ends_local=start + timedelta(days=2, hours=1),
    )
    over = make_event(owner, title="Over already")
    over.starts_at, over.ends_at = (
        utcnow() - timedelta(days=3),
        utcnow() - timedelta(days=3, hours=-1),
    )
    commit()
    client, _ = as_member("member", "strategist")
    upcoming = client.get("/events").get_data(as_text=True)
    assert upcoming.index(sooner.title) < upcoming.index(later.title)
    assert "Over already" not in upcoming
    past = client.get("/events/past").get_data(as_text=True)
    assert "Over already" in past and "Sooner" not in past


def test_empty_lists_say_so(as_member):
    client, _ = as_member("member")
    assert "No upcoming events" in client.get("/events").get_data(as_text=True)
    assert "No past events" in client.get("/events/past").get_data(as_text=True)


def test_the_list_is_paginated(as_member):
    owner = factories.make_member("owner")
    for n in range(services.PER_PAGE + 1):
        make_event(owner, title=f"Roundtable number {n:02d}")
    client, _ = as_member("member")
    first = client.get("/events").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Roundtable number 20" not in first
    assert "Roundtable number 20" in client.get("/events?page=2").get_data(as_text=True)


def test_events_link_in_the_header(as_member):
    client, _ = as_member()
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/events"[^>]*>Events</a>', page)


# --- Time zones --------------------------------------------------------------------------


def test_new_york_times_stay_local_across_the_dst_change(as_member):
    """US clocks go forward on 14 March 2027: 10:00 is 15:00 UTC before, 14:00 UTC after."""
    owner = factories.make_member("owner")
    before = make_event(
        owner,
        title="Before the change",
        timezone="America/New_York",
        starts_local=wall(2027, 3, 13, 10),
        ends_local=wall(2027, 3, 13, 11),
    )
    after = make_event(
        owner,
        title="After the change",
        timezone="America/New_York",
        starts_local=wall(2027, 3, 15, 10),
        ends_local=wall(2027, 3, 15, 11),
    )
    assert before.starts_at == datetime(2027, 3, 13, 15, tzinfo=UTC)
    assert after.starts_at == datetime(2027, 3, 15, 14, tzinfo=UTC)
    client, _ = as_member()
    assert "Sat 13 Mar 2027, 10:00</time>\N{EN DASH}11:00 EST" in client.get(
        f"/events/{before.id}"
    ).get_data(as_text=True)
    assert "Mon 15 Mar 2027, 10:00</time>\N{EN DASH}11:00 EDT" in client.get(
        f"/events/{after.id}"
    ).get_data(as_text=True)


def test_a_time_the_clocks_skip_is_refused(app):
    owner = factories.make_member("owner")
    skipped = draft(
        timezone="America/New_York",
        starts_local=wall(2027, 3, 14, 2, 30),
        ends_local=wall(2027, 3, 14, 4),
    )
    with pytest.raises(DomainError, match="does not exist in America/New_York") as error:
        services.create_event(owner, skipped)
    assert error.value.field == "starts_at"


# --- Answers and the waiting list ---------------------------------------------------------


def answer(client, event: Event, choice: str):
    return client.submit(f"/events/{event.id}/rsvp", {"answer": choice}, follow_redirects=True)


def test_a_member_answers_and_sees_their_answer_and_the_counts(as_member):
    event = make_event()
    client, member = as_member()
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "You have not answered yet." in page
    page = answer(client, event, "going").get_data(as_text=True)
    assert "Your answer is saved: going." in page and "1 going · 0 maybe" in page
    page = answer(client, event, "maybe").get_data(as_text=True)
    assert "0 going · 1 maybe" in page
    assert rsvps.get_rsvp(member, event).answer == Answer.MAYBE
    assert "Choose going" in answer(client, event, "waiting").get_data(as_text=True)
    recorded = db.session.scalars(
        select(MetricEvent.action).where(MetricEvent.object_type == "event")
    ).all()
    assert recorded == ["rsvp", "rsvp"]


def test_a_full_event_puts_members_on_the_waiting_list_in_order_and_promotes_the_first(
    as_member,
):
    event = make_event(capacity=1)
    first_client, _ = as_member()
    second_client, second = as_member(name="Wendy Waiting")
    third_client, _ = as_member()
    answer(first_client, event, "going")
    page = answer(second_client, event, "going").get_data(as_text=True)
    assert "you are number 1 on the waiting list" in page
    assert "number 2 on the waiting list" in answer(third_client, event, "going").get_data(
        as_text=True
    )
    # Asking again keeps one's place rather than going to the back of the line.
    assert "number 1 on the waiting list" in answer(second_client, event, "going").get_data(
        as_text=True
    )

    answer(first_client, event, "not_going")

    assert rsvps.get_rsvp(second, event).answer == Answer.GOING
    assert "You are number 1 on the waiting list" in third_client.get(
        f"/events/{event.id}"
    ).get_data(as_text=True)
    [told] = db.session.scalars(select(Notification).where(Notification.kind == "rsvp_promoted"))
    assert told.member_id == second.id and told.url == f"/events/{event.id}"
    assert "A place opened for you at “Social ROI roundtable”" in told.text


def test_a_larger_capacity_moves_those_waiting_to_going(app):
    owner = factories.make_member("owner")
    event = make_event(owner, capacity=1)
    members = [factories.make_member() for _ in range(3)]
    for member in members:
        rsvps.respond(member, event.id, "going")
    services.update_event(owner, event.id, draft(capacity=3))
    assert [rsvps.get_rsvp(m, event).answer for m in members] == ["going"] * 3


def test_managers_see_who_is_coming_and_every_count_members_do_not(as_member):
    event = make_event(capacity=1)
    going = factories.make_member(name="Gina Going")
    waiting = factories.make_member(name="Walt Waiting")
    rsvps.respond(going, event.id, "going")
    rsvps.respond(waiting, event.id, "going")
    rsvps.respond(factories.make_member(), event.id, "not_going")
    manager, _ = as_member("editor")
    page = manager.get(f"/events/{event.id}").get_data(as_text=True)
    assert "1 going · 0 maybe · 1 not going · 1 waiting" in page
    assert "Gina Going" in page and "Walt Waiting" in page
    member, _ = as_member()
    page = member.get(f"/events/{event.id}").get_data(as_text=True)
    assert "1 going · 0 maybe" in page and "not going ·" not in page
    assert "Gina Going" not in page and "Walt Waiting" not in page


def test_a_started_event_takes_no_answers(as_member):
    event = make_event()
    event.starts_at = utcnow() - timedelta(minutes=5)
    commit()
    client, member = as_member()
    page = answer(client, event, "going").get_data(as_text=True)
    assert "This event has already started; answers are closed." in page
    assert rsvps.get_rsvp(member, event) is None
