"""Accepting an invitation at /invite/<token>: the one way in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.core.clock import utcnow
from community.extensions import db
from community.members.models import Member
from community.membership import services
from community.membership.models import Invitation
from tests import factories

NEW_PASSWORD = "a long and private passphrase"


def member_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Member))


def invitation_link(outbox, email: str) -> str:
    """The path of the /invite/ link in the invitation emailed to ``email``."""
    [message] = [m for m in outbox.to(email) if m["Subject"] == "Your invitation to Council"]
    match = re.search(r"https?://[^/\s]+(/invite/[A-Za-z0-9_\-]+)", outbox.text(message))
    assert match, outbox.text(message)
    return match.group(1)


def acceptance(name: str = "Dana Scully", **overrides: str) -> dict[str, str]:
    data = {
        "name": name,
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        "accept_guidelines": "y",
    }
    data.update(overrides)
    return data


@pytest.fixture
def invited(as_member, outbox):
    """A VP's request approved by a moderator through the review page; the emailed link."""
    moderator_client, _ = as_member("moderator")
    _, referrer = as_member("member", "council")
    outcome = factories.make_request(referrer=referrer, level="vp", email="dana@bigco.com")
    response = moderator_client.submit(f"/moderation/requests/{outcome.request.id}/approve", {})
    assert response.status_code == 302
    return invitation_link(outbox, "dana@bigco.com"), referrer


def test_the_invitation_page_shows_the_address_and_tier(client, invited):
    link, _ = invited

    page = client.get(link)

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "dana@bigco.com" in text
    assert "<strong>Executive</strong> tier" in text
    assert "Community guidelines" in text


def test_accepting_creates_a_member_in_the_invitation_tier_and_signs_them_in(
    client, invited, outbox
):
    link, referrer = invited
    members_before = member_count()

    response = client.submit(link, acceptance())

    assert response.status_code == 302
    assert response.headers["Location"] == "/welcome"  # onboarding, then the home page
    assert member_count() == members_before + 1
    member = db.session.scalars(select(Member).where(Member.email == "dana@bigco.com")).one()
    assert member.name == "Dana Scully"
    assert member.tier.slug == "executive"
    assert member.role == "member"
    assert member.status == "active"
    assert member.referrer_id == referrer.id
    assert member.guidelines_accepted_at is not None
    home = client.get("/")
    assert "Welcome, Dana Scully" in home.get_data(as_text=True)
    assert "Welcome to Council, Dana Scully." in home.get_data(as_text=True)
    # The new password works for signing in later.
    later = client.application.test_client()
    later.sign_in("dana@bigco.com", NEW_PASSWORD)
    # The referrer hears about it.
    [notice] = outbox.to(referrer.email)
    assert notice["Subject"] == "Dana Scully accepted your nomination"
    assert "Dana Scully accepted the invitation" in outbox.text(notice)


def test_an_invitation_from_the_service_places_a_c_suite_in_the_council_tier(client, as_member):
    _, moderator = as_member("moderator")
    outcome = factories.make_request(level="c_suite", email="ceo@bigco.com")
    invitation, token = services.approve_request(moderator, outcome.request.id)

    response = client.submit(f"/invite/{token}", acceptance("Carol Chief"))

    assert response.status_code == 302
    member = db.session.scalars(select(Member).where(Member.email == "ceo@bigco.com")).one()
    assert member.tier_id == invitation.tier_id
    assert member.tier.slug == "council"


def test_posted_tier_and_role_are_ignored(client, invited):
    link, _ = invited

    response = client.submit(
        link,
        acceptance(
            tier="council",
            tier_id="1",
            role="owner",
            status="active",
            email="someone-else@bigco.com",
            session_version="99",
        ),
    )

    assert response.status_code == 302
    member = db.session.scalars(select(Member).where(Member.email == "dana@bigco.com")).one()
    assert member.role == "member"
    assert member.tier.slug == "executive"
    assert member.session_version == 1
    assert (
        db.session.scalars(select(Member).where(Member.email == "someone-else@bigco.com")).first()
        is None
    )
    home = client.get("/")
    assert 'href="/admin/"' not in home.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password_confirm": "a different long passphrase"}, "The passwords differ."),
        (
            {"password": "short pass", "password_confirm": "short pass"},
            "Field must be between 12 and 128 characters long.",
        ),
        (
            {"password": "aaaaaaaaaaaaaaaa", "password_confirm": "aaaaaaaaaaaaaaaa"},
            "That password is too easy to guess.",
        ),
        ({"accept_guidelines": ""}, "Please accept the community guidelines."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_a_refused_acceptance_explains_why_and_creates_nobody(
    client, invited, outbox, overrides, message
):
    link, referrer = invited
    members_before = member_count()
    outbox.clear()

    page = client.submit(link, acceptance(**overrides))

    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    assert member_count() == members_before
    assert outbox.to(referrer.email) == []
    assert "Welcome, " not in client.get("/").get_data(as_text=True)
    # The invitation is still good for a corrected attempt.
    assert client.submit(link, acceptance()).status_code == 302


def test_a_form_without_csrf_token_creates_nobody(client, invited):
    link, _ = invited
    members_before = member_count()

    page = client.post(link, data=acceptance())

    assert page.status_code == 400
    assert member_count() == members_before


def _assert_unusable(client, link: str, message: str, members_before: int) -> None:
    page = client.get(link)
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "This invitation cannot be used" in text
    assert message in text
    posted = client.submit(link, acceptance())
    assert posted.status_code == 404
    assert message in posted.get_data(as_text=True)
    assert member_count() == members_before


def test_a_tampered_token_is_refused(client, invited):
    link, _ = invited
    tampered = link[:-1] + ("A" if link[-1] != "A" else "B")

    _assert_unusable(client, tampered, "This invitation link is not valid.", member_count())


def test_an_unknown_token_is_refused(client, invited):
    _assert_unusable(client, "/invite/not-a-real-token", "is not valid", member_count())


def test_an_expired_invitation_is_refused(client, invited):
    link, _ = invited
    invitation = db.session.scalars(select(Invitation)).one()
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    _assert_unusable(client, link, "This invitation has expired.", member_count())


def test_an_invitation_works_only_once(client, invited, app):
    link, _ = invited
    assert client.submit(link, acceptance()).status_code == 302
    members_after_first = member_count()

    stranger = app.test_client()
    _assert_unusable(stranger, link, "This invitation has already been used.", members_after_first)
    member = db.session.scalars(select(Member).where(Member.email == "dana@bigco.com")).one()
    assert member.name == "Dana Scully"
