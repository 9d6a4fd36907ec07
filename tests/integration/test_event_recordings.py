"""After an event: its recording from the library, linked by a manager, shown to those who may
open the recording; and the event notifications that follow a member's access."""

from __future__ import annotations

from datetime import timedelta

from community.core.clock import utcnow
from community.core.events import commit
from community.core.jobs import registered, run_once
from community.events import rsvps
from community.extensions import db
from community.notifications.models import Notification
from tests import factories
from tests.factories.events import make_event


def past_event(**overrides):
    start = (utcnow() - timedelta(days=2)).replace(tzinfo=None, microsecond=0)
    return make_event(starts_local=start, ends_local=start + timedelta(hours=2), **overrides)


def test_a_manager_links_a_recording_that_members_who_may_open_it_see(app, as_member):
    owner_client, owner = as_member("owner")
    strategist_client, _ = as_member("member", "strategist")
    council_client, _ = as_member("member", "council")
    event = past_event(title="Budget season briefing")
    recording = factories.make_resource(
        owner, "Budget season, the recording", kind="recording", tier_slug="council"
    )

    page = owner_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Budget season, the recording" in page  # offered in the manager's choice
    response = owner_client.submit(f"/events/{event.id}/recording", {"recording": recording.id})
    assert response.status_code == 302
    link = f"/library/{recording.id}"
    assert link in council_client.get(f"/events/{event.id}").get_data(as_text=True)
    # The event is open to strategists; the council-tier recording is not, nor its title.
    strategist_page = strategist_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Budget season briefing" in strategist_page
    assert link not in strategist_page and "the recording" not in strategist_page

    owner_client.submit(f"/events/{event.id}/recording", {"recording": ""})
    assert link not in council_client.get(f"/events/{event.id}").get_data(as_text=True)


def test_only_a_published_recording_of_an_event_that_took_place(app, as_member):
    owner_client, owner = as_member("owner")
    member_client, _ = as_member()
    upcoming = make_event(title="Still ahead")
    done = past_event(title="Over already")
    recording = factories.make_resource(owner, "A recording", kind="recording")
    article = factories.make_resource(owner, "An article", kind="article")
    draft = factories.make_resource(owner, "A draft video", kind="video", status="draft")

    cases = [
        (upcoming, recording, "once the event has taken place"),
        (done, article, "Choose a published recording or video"),
        (done, draft, "Choose a published recording or video"),
    ]
    for event, resource, message in cases:
        response = owner_client.submit(
            f"/events/{event.id}/recording", {"recording": resource.id}, follow_redirects=True
        )
        assert message in response.get_data(as_text=True)
        assert db.session.get(type(event), event.id).recording_id is None
    assert (
        member_client.submit(
            f"/events/{done.id}/recording", {"recording": recording.id}
        ).status_code
        == 403
    )


def test_an_event_notification_leaves_the_list_when_the_tier_no_longer_reaches_it(app, as_member):
    client, member = as_member("member", "council")
    event = make_event(title="Council dinner", min_tier="council", capacity=1)
    holder = factories.make_member(tier_slug="council")
    rsvps.respond(holder, event.id, "going")
    rsvps.respond(member, event.id, "going")  # waiting
    rsvps.respond(holder, event.id, "not_going")  # the member moves up and is told
    [row] = db.session.query(Notification).filter_by(member_id=member.id).all()
    assert "Council dinner" in client.get("/notifications").get_data(as_text=True)

    member.tier = factories.tier("executive")
    commit()
    assert "Council dinner" not in client.get("/notifications").get_data(as_text=True)
    assert client.get(f"/notifications/{row.id}").status_code == 404


def test_the_reminders_run_as_a_periodic_job(app):
    start = (utcnow() + timedelta(hours=3)).replace(tzinfo=None, microsecond=0)
    event = make_event(title="Soon", starts_local=start, ends_local=start + timedelta(hours=1))
    rsvps.respond(factories.make_member(), event.id, "going")
    [job] = [job for job in registered() if job.name == "event-reminders"]
    assert job.interval_seconds <= 600
    run_once(app, job)
    db.session.expire_all()
    assert db.session.get(type(event), event.id).reminder_sent_at is not None
