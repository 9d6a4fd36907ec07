"""The owners' console, announcements: write, preview (text, link, audience), confirm; the
same service as ``community announce``, audit-logged, delivered as notifications and email."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.extensions import db
from community.notifications.models import Notification
from community.notifications.services import save_settings
from tests import factories
from tests.conftest import run_queued_work

FORM = {"text": "The summit agenda is out", "url": "/events", "tier": ""}


def told() -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Notification.member_id, Notification.text).where(Notification.kind == "announcement")
    )
    return {member_id: text for member_id, text in rows}


@pytest.fixture
def owner(as_member):
    return as_member("owner")


@pytest.fixture
def people():
    return {
        "council": factories.make_member(tier_slug="council"),
        "executive": factories.make_member(tier_slug="executive"),
        "strategist": factories.make_member(tier_slug="strategist"),
        "suspended": factories.make_member(status="suspended"),
    }


def test_preview_shows_the_notice_and_its_audience_and_sends_nothing(owner, people):
    client, _ = owner
    response = client.submit("/admin/announcements", FORM | {"action": "preview"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<a href="/events">The summit agenda is out</a>' in page
    assert "Send to 4 members" in page  # three members and the owner; not the suspended one
    run_queued_work()
    assert told() == {} and not db.session.scalars(select(AuditEntry)).all()


def test_sending_tells_every_active_member_and_emails_those_who_chose_email(owner, people, outbox):
    client, me = owner
    save_settings(people["council"], {"announcement": "email"})
    response = client.submit("/admin/announcements", FORM | {"action": "send"})
    assert response.status_code == 302
    run_queued_work()
    expected = {people[key].id for key in ("council", "executive", "strategist")} | {me.id}
    assert set(told()) == expected
    assert [m["Subject"] for m in outbox.to(people["council"].email)] == [FORM["text"]]
    assert outbox.to(people["executive"].email) == []
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "announcement.sent"))
    assert entry.actor_id == me.id and entry.details["text"] == FORM["text"]
    assert entry.details["audience_size"] == 4
    assert "announcement.sent" in client.get("/admin/audit").get_data(as_text=True)


def test_an_announcement_to_a_tier_reaches_that_tier_and_above(owner, people):
    client, me = owner
    response = client.submit("/admin/announcements", FORM | {"tier": "executive"})
    assert "Send to 3 members" in response.get_data(as_text=True)
    client.submit("/admin/announcements", FORM | {"tier": "executive", "action": "send"})
    run_queued_work()
    assert set(told()) == {people["council"].id, people["executive"].id, me.id}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"url": "https://evil.test/"}, "must be a path on this site"),
        ({"url": "//evil.test/"}, "must be a path on this site"),
        ({"text": "x" * 301}, "300 characters"),
        ({"tier": "platinum"}, "Choose one of the tiers offered"),
    ],
)
def test_bad_input_is_a_form_error_that_keeps_the_text(owner, people, change, error):
    client, _ = owner
    response = client.submit("/admin/announcements", FORM | change | {"action": "send"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and error in page
    assert (change.get("text") or FORM["text"]) in page
    run_queued_work()
    assert told() == {}


def test_the_cli_can_announce_to_a_tier_too(app, people):
    result = app.test_cli_runner().invoke(
        args=["announce", "--text", "Strategists' breakfast", "--tier", "council"]
    )
    assert result.exit_code == 0, result.output
    assert "Announced to 1 member." in result.output
    assert set(told()) == {people["council"].id}
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "announcement.sent"))
    assert entry.actor_id is None  # the shell: "system" in the audit log


@pytest.mark.parametrize("role", ["member", "moderator", "editor"])
def test_everyone_but_owners_gets_404(as_member, people, role):
    client, _ = as_member(role)
    assert client.get("/admin/announcements").status_code == 404
    response = client.submit("/admin/announcements", FORM | {"action": "send"})
    assert response.status_code == 404
    run_queued_work()
    assert told() == {}
