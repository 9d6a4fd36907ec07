"""The editorial workflow: who may make which move, scheduled publishing at the boundary, the
publish-due command and job (safe to repeat), the history and the calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest
from sqlalchemy import func, select

from community.core import jobs
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit
from community.extensions import db
from community.forum.models import Thread
from community.library import workflow
from community.library.models import Resource, ResourceTransition, Status, TopicFollow
from community.library.workflow import SCHEDULER, TRANSITIONS, may_transition
from community.notifications.models import Notification
from tests import factories
from tests.conftest import run_queued_work

ROLES = ["member", "moderator", "editor", "owner", SCHEDULER]
# The expected table, written out: (from, to) -> who may.
EXPECTED = {
    ("draft", "in_review"): {"editor", "owner"},
    ("in_review", "draft"): {"editor", "owner"},
    ("in_review", "scheduled"): {"editor", "owner"},
    ("in_review", "published"): {"editor", "owner"},
    ("scheduled", "in_review"): {"editor", "owner"},
    ("scheduled", "published"): {"editor", "owner", SCHEDULER},
    ("published", "archived"): {"editor", "owner"},
    ("archived", "published"): {"owner"},
}


@pytest.mark.parametrize(
    ("role", "source", "target"), list(product(ROLES, list(Status), list(Status)))
)
def test_who_may_make_which_move(role, source, target):
    allowed = role in EXPECTED.get((source.value, target.value), set())
    assert may_transition(role, source, target) is allowed


def test_the_table_has_no_moves_beyond_those_written_out():
    assert {(s.value, t.value) for s, t in TRANSITIONS} == set(EXPECTED)


def _in_status(editor, status: str) -> Resource:
    resource = factories.make_resource(editor, status="in_review")
    if status == "scheduled":
        workflow.transition(editor, resource.id, "scheduled", _soon())
    elif status != "in_review":
        path = {
            "draft": ["draft"],
            "published": ["published"],
            "archived": ["published", "archived"],
        }
        for step in path[status]:
            workflow.transition(editor, resource.id, step)
    return resource


def _soon() -> datetime:
    return datetime.now(UTC) + timedelta(hours=1)


@pytest.mark.parametrize(("source", "target"), list(product(list(Status), list(Status))))
@pytest.mark.parametrize("role", ["member", "editor", "owner"])
def test_the_service_enforces_the_table(app, role, source, target):
    owner = factories.make_member("owner")
    actor = factories.make_member(role) if role != "owner" else owner
    resource = _in_status(owner, source.value)
    publish_at = _soon() if target == Status.SCHEDULED else None
    if may_transition(role, source, target):
        workflow.transition(actor, resource.id, target.value, publish_at)
        assert db.session.get(Resource, resource.id).status == target.value
        last = db.session.scalars(
            select(ResourceTransition).order_by(ResourceTransition.id.desc())
        ).first()
        assert (last.actor_id, last.from_status, last.to_status) == (
            actor.id,
            source.value,
            target.value,
        )
    else:
        with pytest.raises(DomainError):  # PermissionDenied, or NotFound for a plain member
            workflow.transition(actor, resource.id, target.value, publish_at)


def test_scheduling_needs_a_time_in_the_future(app):
    editor = factories.make_member("editor")
    resource = factories.make_resource(editor, status="in_review")
    with pytest.raises(DomainError, match="date and time"):
        workflow.transition(editor, resource.id, "scheduled")
    with pytest.raises(DomainError, match="future"):
        workflow.transition(editor, resource.id, "scheduled", datetime.now(UTC) - timedelta(1))


def _scheduled_at(editor, when: datetime) -> Resource:
    resource = factories.make_resource(editor, status="in_review", topics="Board")
    workflow.transition(editor, resource.id, "scheduled", _soon())
    resource.publish_at = when  # moved to the boundary under test
    commit()
    return resource


@pytest.mark.parametrize(
    ("offset", "published"),
    [(timedelta(seconds=1), False), (timedelta(0), True), (timedelta(seconds=-1), True)],
)
def test_publish_due_at_the_boundary_and_only_once(app, offset, published):
    editor = factories.make_member("editor")
    follower = factories.make_member()
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    resource = _scheduled_at(editor, now + offset)
    db.session.add(TopicFollow(member_id=follower.id, topic_id=resource.topics[0].id))
    commit()
    assert workflow.publish_due(now) == (1 if published else 0)
    assert workflow.publish_due(now) == 0  # a second run finds nothing to do
    assert workflow.publish_due(now + timedelta(minutes=5)) == (0 if published else 1)
    resource = db.session.get(Resource, resource.id)
    assert resource.status == "published"
    assert db.session.scalar(select(func.count(Thread.id))) == 1
    run_queued_work()  # the worker tells the follower, once
    assert db.session.scalar(select(func.count(Notification.id))) == 1
    last = db.session.scalars(
        select(ResourceTransition).order_by(ResourceTransition.id.desc())
    ).first()
    assert (last.actor_id, last.from_status, last.to_status) == (None, "scheduled", "published")


def test_publish_due_command_and_job(app):
    editor = factories.make_member("editor")
    resource = _scheduled_at(editor, datetime.now(UTC) - timedelta(minutes=1))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["library", "publish-due"])
    assert result.exit_code == 0, result.output
    assert "Published 1 scheduled resource." in result.output
    assert (
        "Published 0 scheduled resources." in runner.invoke(args=["library", "publish-due"]).output
    )
    assert db.session.get(Resource, resource.id).status == "published"
    job = {job.name: job for job in jobs.registered()}["publish-due"]
    assert job.interval_seconds == 60
    jobs.run_once(app, job)  # nothing due: runs quietly


def test_jobs_start_once_and_only_when_switched_on(app, monkeypatch):
    started = []
    monkeypatch.setattr(
        jobs.socketio, "start_background_task", lambda fn, *args: started.append(args[1].name)
    )
    assert jobs.start(app) is False  # RUN_JOBS is off in tests
    app.config["RUN_JOBS"] = True
    assert jobs.start(app) is True
    assert jobs.start(app) is False
    assert "publish-due" in started and len(started) == len(jobs.registered())


def test_a_failing_job_is_logged_and_does_not_stop_the_loop(app, caplog):
    def broken() -> None:
        raise RuntimeError("boom")

    jobs.run_once(app, jobs.Job("broken", 1, broken))
    assert "job broken failed" in caplog.text


def test_edit_page_shows_who_did_what_and_schedules_in_a_time_zone(as_member):
    client, editor = as_member("editor")
    resource = factories.make_resource(editor, "Plan", status="in_review")
    response = client.submit(
        f"/library/{resource.id}/transition",
        {
            "to": "scheduled",
            "publish_date": "2099-03-01",
            "publish_time": "09:30",
            "time_zone": "America/New_York",
        },
    )
    assert response.status_code == 302
    resource = db.session.get(Resource, resource.id)
    assert resource.publish_at == datetime(2099, 3, 1, 14, 30, tzinfo=UTC)
    page = client.get(f"/library/{resource.id}/edit").get_data(as_text=True)
    assert "1 Mar 2099 14:30 UTC" in page
    assert editor.name in page and "in review → scheduled" in page
    past = client.submit(f"/library/{resource.id}/transition", {"to": "in_review"})
    assert past.status_code == 302
    again = client.submit(
        f"/library/{resource.id}/transition",
        {
            "to": "scheduled",
            "publish_date": "2001-01-01",
            "publish_time": "09:00",
            "time_zone": "UTC",
        },
    )
    assert again.status_code == 400 and "Choose a time in the future" in again.get_data(
        as_text=True
    )


def test_scheduling_at_a_time_the_clocks_skip_is_a_form_error_not_a_shifted_time(as_member):
    """London's clocks go from 01:00 straight to 02:00 on 29 March 2099 (as on 28 March 2027;
    London skips 01:00-02:00, Paris 02:00-03:00): 01:30 never happens there, and scheduling
    it must say so rather than publish at a time nobody chose."""
    client, editor = as_member("editor")
    resource = factories.make_resource(editor, "Plan", status="in_review")
    form = {
        "to": "scheduled",
        "publish_date": "2099-03-29",
        "publish_time": "01:30",
        "time_zone": "Europe/London",
    }
    skipped = client.submit(f"/library/{resource.id}/transition", form)
    page = skipped.get_data(as_text=True)
    assert skipped.status_code == 400
    assert "29 Mar 2099 01:30 does not exist in Europe/London" in page
    assert 'value="2099-03-29"' in page and 'value="01:30"' in page  # nothing typed is lost
    resource = db.session.get(Resource, resource.id)
    assert (resource.status, resource.publish_at) == ("in_review", None)
    after = client.submit(f"/library/{resource.id}/transition", {**form, "publish_time": "02:30"})
    assert after.status_code == 302
    db.session.expire_all()
    assert db.session.get(Resource, resource.id).publish_at == datetime(
        2099, 3, 29, 1, 30, tzinfo=UTC
    )


def test_calendar_shows_the_month_and_undated_drafts_to_editors_only(as_member):
    client, editor = as_member("editor")
    member_client, _ = as_member()
    factories.make_resource(editor, "Waiting draft", status="draft")
    scheduled = factories.make_resource(editor, "Spring launch", status="in_review")
    workflow.transition(editor, scheduled.id, "scheduled", datetime(2099, 4, 15, 8, tzinfo=UTC))
    midnight = factories.make_resource(editor, "First of May", status="in_review")
    workflow.transition(editor, midnight.id, "scheduled", datetime(2099, 5, 1, tzinfo=UTC))
    page = client.get("/library/calendar?month=2099-04").get_data(as_text=True)
    assert "First of May" not in page  # midnight belongs to the month it starts
    assert "First of May" in client.get("/library/calendar?month=2099-05").get_data(as_text=True)
    assert "April 2099" in page and "08:00 UTC</time> Scheduled: Spring launch" in page
    assert "Waiting draft" in page.split("Without a date", 1)[1]
    assert "Spring launch" not in client.get("/library/calendar?month=2099-05").get_data(
        as_text=True
    )
    assert 'href="/library/calendar?month=2099-03"' in page
    assert client.get("/library/calendar?month=2099-13").status_code == 404
    assert client.get("/library/calendar?month=soon").status_code == 404
    assert member_client.get("/library/calendar").status_code == 403


def test_archiving_hides_and_an_owner_restores_without_a_second_thread(app):
    owner = factories.make_member("owner")
    editor = factories.make_member("editor")
    resource = factories.make_resource(editor, status="archived")
    with pytest.raises(PermissionDenied):
        workflow.transition(editor, resource.id, "published")
    workflow.transition(owner, resource.id, "published")
    assert db.session.scalar(select(func.count(Thread.id))) == 1
