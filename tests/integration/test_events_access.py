"""The access grid for events: each viewer tier against each event tier. An event above the
viewer's tier answers 404 on its page, its calendar file, its answer form and (for an editor)
its edit and cancel forms, names nothing, and writes nothing. Owners see every event."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.events.models import Event, Rsvp
from community.extensions import db
from community.metrics.models import MetricEvent
from tests import factories
from tests.factories.events import make_event

TIERS = ["strategist", "executive", "council"]
RANK = {tier: n for n, tier in enumerate(TIERS)}
TITLE = {tier: f"Closed-door session for the {tier} tier" for tier in TIERS}

# (method, url, form data, status when the viewer may see the event, who acts)
GRID = [
    ("GET", "/events/{id}", None, 200, "member"),
    ("GET", "/events/{id}.ics", None, 200, "member"),
    ("POST", "/events/{id}/rsvp", {"answer": "going"}, 302, "member"),
    ("GET", "/events/{id}/edit", None, 200, "editor"),
    ("POST", "/events/{id}/cancel", None, 302, "editor"),
]


@pytest.fixture
def events(app) -> dict[str, int]:
    owner = factories.make_member("owner")
    return {tier: make_event(owner, title=TITLE[tier], min_tier=tier).id for tier in TIERS}


def snapshot() -> tuple:
    return (
        db.session.scalar(select(func.count(Rsvp.id))),
        db.session.scalar(select(func.count(MetricEvent.id))),
        tuple(db.session.execute(select(Event.id, Event.cancelled_at)).all()),
    )


@pytest.mark.parametrize("viewer", TIERS)
@pytest.mark.parametrize("event_tier", TIERS)
@pytest.mark.parametrize(
    ("method", "url", "data", "allowed_status", "role"),
    GRID,
    ids=[f"{method} {url} as {role}" for method, url, _, _, role in GRID],
)
def test_access_grid(
    as_member, events, viewer, event_tier, method, url, data, allowed_status, role
):
    client, _ = as_member(role, viewer)
    target = url.format(id=events[event_tier])
    before = snapshot()
    response = client.get(target) if method == "GET" else client.submit(target, data)
    body = response.get_data(as_text=True)
    if RANK[viewer] >= RANK[event_tier]:
        assert response.status_code == allowed_status, body
    else:
        assert response.status_code == 404, body
        assert TITLE[event_tier] not in body
        assert snapshot() == before


@pytest.mark.parametrize("viewer", TIERS)
def test_lists_show_only_the_events_a_tier_reaches(as_member, events, viewer):
    client, _ = as_member("member", viewer)
    listing = client.get("/events").get_data(as_text=True)
    for tier in TIERS:
        shown = TITLE[tier] in listing and f"/events/{events[tier]}" in listing
        assert shown == (RANK[viewer] >= RANK[tier]), tier


def test_an_owner_of_any_tier_sees_and_manages_every_event(as_member, events):
    client, _ = as_member("owner", "strategist")
    listing = client.get("/events").get_data(as_text=True)
    assert all(TITLE[tier] in listing for tier in TIERS)
    assert client.get(f"/events/{events['council']}.ics").status_code == 200
    assert client.get(f"/events/{events['council']}/edit").status_code == 200


def test_visitors_are_sent_to_sign_in(client, events):
    for url in (
        "/events",
        f"/events/{events['strategist']}",
        f"/events/{events['strategist']}.ics",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
