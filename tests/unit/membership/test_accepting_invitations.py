"""Accepting an invitation, at the service level: who it makes a member, and when it is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from community.core.clock import utcnow
from community.core.errors import DomainError
from community.core.events import commit
from community.core.security import hash_token
from community.extensions import db
from community.members.models import Member, MemberStatus
from community.members.services import authenticate
from community.membership.models import Invitation
from community.membership.services import (
    InvalidInvitation,
    accept_invitation,
    approve_request,
)
from tests import factories
from tests.conftest import Outbox
from tests.unit.membership.test_requests import NEW_PASSWORD, audit, count, pending_request

# --- accepting ----------------------------------------------------------------------------


def approved(level: str = "vp", referrer: Member | None = None) -> tuple[Invitation, str]:
    moderator = factories.make_member("moderator")
    request = pending_request(level=level, referrer=referrer, email="jane@bigco.com")
    return approve_request(moderator, request.id)


def test_accepting_creates_a_member_with_the_invitation_tier_and_role_member(
    app: Flask,
) -> None:
    invitation, token = approved(level="vp")

    member = accept_invitation(token, " Jane Doe ", NEW_PASSWORD, accepted_guidelines=True)

    assert member.email == "jane@bigco.com"
    assert member.name == "Jane Doe"
    assert member.role == "member"
    assert member.tier.slug == "executive"
    assert member.level == "vp"
    assert member.company == "BigCo"
    assert member.status == MemberStatus.ACTIVE
    assert member.guidelines_accepted_at is not None
    assert invitation.accepted_at is not None
    assert invitation.member_id == member.id
    assert authenticate("jane@bigco.com", NEW_PASSWORD).id == member.id
    [entry] = audit("invitation.accepted")
    assert entry.target_id == member.id


def test_an_overridden_tier_is_kept_when_the_invitation_is_accepted(app: Flask) -> None:
    invitation, token = approved(level="vp")
    invitation.tier = factories.tier("council")
    commit()

    member = accept_invitation(token, "Jane", NEW_PASSWORD, accepted_guidelines=True)

    assert member.tier.slug == "council"


def test_an_invitation_works_once(app: Flask) -> None:
    _, token = approved()
    accept_invitation(token, "Jane", NEW_PASSWORD, accepted_guidelines=True)

    with pytest.raises(InvalidInvitation, match="already been used"):
        accept_invitation(token, "Mallory", "another long passphrase 99", accepted_guidelines=True)

    db.session.rollback()
    assert count(Member) == 2  # the moderator and Jane
    assert authenticate("jane@bigco.com", NEW_PASSWORD).name == "Jane"


def test_an_expired_invitation_cannot_be_accepted(app: Flask) -> None:
    invitation, token = approved()
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    commit()

    with pytest.raises(InvalidInvitation, match="expired"):
        accept_invitation(token, "Jane", NEW_PASSWORD, accepted_guidelines=True)

    db.session.rollback()
    assert (
        db.session.scalars(select(Member).where(Member.email == "jane@bigco.com")).first() is None
    )


def test_a_revoked_invitation_cannot_be_accepted(app: Flask) -> None:
    """It answers like a link that never existed (issue 13: revoking voids the link)."""
    invitation, token = approved()
    invitation.revoked_at = utcnow()
    commit()

    with pytest.raises(InvalidInvitation, match="not valid"):
        accept_invitation(token, "Jane", NEW_PASSWORD, accepted_guidelines=True)


@pytest.mark.parametrize("bad", ["", "not-a-token", "x" * 43])
def test_an_unknown_token_cannot_be_accepted(app: Flask, bad: str) -> None:
    _, token = approved()

    with pytest.raises(InvalidInvitation, match="not valid"):
        accept_invitation(bad, "Jane", NEW_PASSWORD, accepted_guidelines=True)
    with pytest.raises(InvalidInvitation, match="not valid"):
        accept_invitation(hash_token(token), "Jane", NEW_PASSWORD, accepted_guidelines=True)


def test_the_referrer_is_emailed_when_their_nominee_joins(app: Flask, outbox: Outbox) -> None:
    referrer = factories.make_member(email="ref@example-corp.com")
    _, token = approved(referrer=referrer)
    outbox.clear()

    member = accept_invitation(token, "Jane Doe", NEW_PASSWORD, accepted_guidelines=True)

    assert member.referrer_id == referrer.id
    [message] = outbox.to("ref@example-corp.com")
    assert "Jane Doe accepted your nomination" in message["Subject"]


def test_a_referrer_who_has_left_is_not_emailed(app: Flask, outbox: Outbox) -> None:
    referrer = factories.make_member(email="ref@example-corp.com")
    _, token = approved(referrer=referrer)
    referrer.status = MemberStatus.REVOKED.value
    commit()
    outbox.clear()

    accept_invitation(token, "Jane Doe", NEW_PASSWORD, accepted_guidelines=True)

    assert outbox.to("ref@example-corp.com") == []


@pytest.mark.parametrize("password", ["short", "aaaaaaaaaaaaaaaa", "x" * 129])
def test_a_weak_password_is_refused_and_nothing_is_created(
    app: Flask, outbox: Outbox, password: str
) -> None:
    invitation, token = approved()
    outbox.clear()
    members = count(Member)

    with pytest.raises(DomainError) as raised:
        accept_invitation(token, "Jane", password, accepted_guidelines=True)

    assert raised.value.field == "password"
    db.session.rollback()
    assert count(Member) == members
    assert db.session.get(Invitation, invitation.id).accepted_at is None
    assert outbox.messages == []
    # The link still works once a good password is chosen.
    assert accept_invitation(token, "Jane", NEW_PASSWORD, accepted_guidelines=True).id


def test_the_guidelines_must_be_accepted(app: Flask) -> None:
    _, token = approved()

    with pytest.raises(DomainError, match="guidelines"):
        accept_invitation(token, "Jane", NEW_PASSWORD, accepted_guidelines=False)

    db.session.rollback()
    assert (
        db.session.scalars(select(Member).where(Member.email == "jane@bigco.com")).first() is None
    )


def test_a_revoked_member_is_reinstated_by_a_new_invitation_and_old_sessions_end(
    app: Flask,
) -> None:
    former = factories.make_member(email="jane@bigco.com", status="revoked", tier_slug="council")
    old_version = former.session_version
    _, token = approved(level="director")

    member = accept_invitation(token, "Jane", NEW_PASSWORD, accepted_guidelines=True)

    assert member.id == former.id
    assert member.status == MemberStatus.ACTIVE
    assert member.tier.slug == "strategist"
    assert member.session_version > old_version
