"""The test harness itself: one app for the whole run, each test rolled back in a transaction
of its own, real commits for the tests that ask for them."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from community.extensions import db
from community.members.models import Member, MemberSession, Tier
from tests import factories
from tests.client import FormClient
from tests.conftest import Outbox

LEFT_BEHIND = "left-behind@example-corp.com"
COMMITTED = "committed-for-real@example-corp.com"
_apps_seen: list[Flask] = []


def member_ids(email: str, connection=None) -> list[int]:
    query = select(Member.id).where(Member.email == email)
    return list((connection or db.session).scalars(query))


def test_a_test_may_write_change_settings_and_send_mail(app: Flask, outbox: Outbox) -> None:
    _apps_seen.append(app)
    factories.make_member(email=LEFT_BEHIND)
    app.config["NEW_MEMBER_DAYS"] = 99
    app.test_client().submit("/password/forgot", {"email": LEFT_BEHIND})
    assert len(outbox.to(LEFT_BEHIND)) == 1


def test_the_next_test_sees_none_of_it_on_the_same_app(app: Flask, outbox: Outbox) -> None:
    assert member_ids(LEFT_BEHIND) == []
    assert app.config["NEW_MEMBER_DAYS"] == 7
    assert outbox.messages == []
    if _apps_seen:  # run after the test above, as in the whole file
        assert app is _apps_seen[0], "the app is built once per run, not per test"


def test_other_connections_do_not_see_a_tests_writes(app: Flask) -> None:
    member = factories.make_member()
    with db.engine.connect() as other:
        assert member_ids(member.email, other) == []


def test_a_request_sees_what_the_test_committed(app: Flask, client: FormClient) -> None:
    member = factories.make_member()
    client.sign_in(member.email)
    assert member.name in client.get("/").get_data(as_text=True)


def test_what_a_request_committed_outlives_the_tests_own_session(
    app: Flask, client: FormClient
) -> None:
    member = factories.make_member()
    name = member.name  # the test's session is now in a (read-only) transaction
    client.sign_in(member.email)  # the request commits the member's signed-in session
    db.session.remove()  # as a test does to start cold; in production nothing is undone
    assert name in client.get("/").get_data(as_text=True)


def test_a_request_after_a_write_the_test_did_not_commit_fails_the_test(
    app: Flask, client: FormClient
) -> None:
    factories.make_member().name = "Renamed but not committed"
    db.session.flush()
    with pytest.raises(pytest.fail.Exception, match="without committing"):
        client.get("/")
    db.session.rollback()


@pytest.mark.real_commits
def test_real_commits_are_seen_by_other_connections(app: Flask) -> None:
    member = factories.make_member(email=COMMITTED)
    with db.engine.connect() as other:
        assert member_ids(COMMITTED, other) == [member.id]


def test_and_are_emptied_after_the_test_leaving_the_defaults(app: Flask) -> None:
    assert member_ids(COMMITTED) == []
    assert sorted(db.session.scalars(select(Tier.slug))) == ["council", "executive", "strategist"]


def test_make_app_builds_an_app_with_other_settings_in_the_same_transaction(
    app: Flask, make_app
) -> None:
    member = factories.make_member()
    other = make_app(RATELIMIT_ENABLED=False)
    assert other is not app
    assert other.config["RATELIMIT_ENABLED"] is False
    with other.app_context():
        assert member_ids(member.email) == [member.id]


def test_as_member_leaves_what_signing_in_through_the_form_leaves(app: Flask, as_member) -> None:
    by_form: FormClient = app.test_client()  # type: ignore[assignment]
    by_form.sign_in(factories.make_member(name="Fay Form").email)
    by_fixture, member = as_member(name="Sid Shortcut")
    sessions = db.session.scalars(select(MemberSession).where(MemberSession.member_id == member.id))
    assert len(sessions.all()) == 1 and member.last_seen_at is not None
    cookies = []
    for client in (by_form, by_fixture):
        with client.session_transaction() as cookie:
            cookies.append(sorted(cookie))
    assert cookies[0] == cookies[1]  # the CSRF secret included: a copied cookie carries it
    for client, name in ((by_form, "Fay Form"), (by_fixture, "Sid Shortcut")):
        assert name in client.get("/settings/profile").get_data(as_text=True)
        assert client.submit("/logout").status_code == 302  # a form, with its CSRF token
        assert client.get("/settings/profile").status_code == 302  # signed out
