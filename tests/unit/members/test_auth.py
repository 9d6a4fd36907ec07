"""Signing in and resetting a password."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.core.clock import utcnow
from community.core.errors import DomainError
from community.core.events import commit
from community.core.security import hash_token
from community.extensions import db
from community.members.models import Member, PasswordResetToken
from community.members.services import (
    SIGN_IN_FAILED,
    authenticate,
    check_reset_token,
    request_password_reset,
    reset_password,
)
from community.members.sessions import load_member_for_session, start_session
from tests import factories
from tests.conftest import Outbox

NEW_PASSWORD = "a brand new passphrase 2024"


def reset_token_from(outbox: Outbox, email: str) -> str:
    [message] = outbox.to(email)
    match = re.search(r"/password/reset/([A-Za-z0-9_-]+)", outbox.text(message))
    assert match, outbox.text(message)
    return match.group(1)


# --- signing in ---------------------------------------------------------------------------


def test_the_right_password_signs_in(app: Flask) -> None:
    member = factories.make_member(email="sam@example-corp.com")

    signed_in = authenticate("  Sam@Example-Corp.com ", factories.PASSWORD)

    assert signed_in.id == member.id
    assert signed_in.last_seen_at is not None


def test_unknown_email_and_wrong_password_get_the_same_answer(app: Flask) -> None:
    factories.make_member(email="sam@example-corp.com")

    with pytest.raises(DomainError) as unknown:
        authenticate("nobody@example-corp.com", factories.PASSWORD)
    with pytest.raises(DomainError) as wrong:
        authenticate("sam@example-corp.com", "not the password at all")

    assert unknown.value.message == wrong.value.message == SIGN_IN_FAILED
    assert unknown.value.field == wrong.value.field
    assert type(unknown.value) is type(wrong.value)


def test_a_revoked_member_with_the_wrong_password_learns_nothing_about_the_status(
    app: Flask,
) -> None:
    factories.make_member(email="sam@example-corp.com", status="revoked")

    with pytest.raises(DomainError) as raised:
        authenticate("sam@example-corp.com", "not the password at all")

    assert raised.value.message == SIGN_IN_FAILED


def test_a_session_ends_when_its_version_is_bumped(app: Flask) -> None:
    member = factories.make_member()
    session_id = start_session(member)
    assert load_member_for_session(session_id).id == member.id

    member.session_version += 1
    commit()

    assert load_member_for_session(session_id) is None
    assert load_member_for_session("garbage") is None
    assert load_member_for_session(f"{member.id}:") is None


# --- password reset -----------------------------------------------------------------------


def test_a_reset_link_is_emailed_and_only_its_hash_is_stored(app: Flask, outbox: Outbox) -> None:
    member = factories.make_member(email="sam@example-corp.com")

    request_password_reset(" SAM@example-corp.com ")

    token = reset_token_from(outbox, "sam@example-corp.com")
    [stored] = db.session.scalars(select(PasswordResetToken)).all()
    assert stored.member_id == member.id
    assert stored.token_hash == hash_token(token)
    assert "1 hour" in outbox.text(outbox.to("sam@example-corp.com")[0])


def test_resetting_sets_the_password_and_signs_out_every_session(
    app: Flask, outbox: Outbox
) -> None:
    member = factories.make_member(email="sam@example-corp.com")
    old_session = start_session(member)
    old_version = member.session_version
    request_password_reset("sam@example-corp.com")
    token = reset_token_from(outbox, "sam@example-corp.com")

    reset_password(token, NEW_PASSWORD)

    member = db.session.get(Member, member.id)
    assert member.session_version == old_version + 1
    assert load_member_for_session(old_session) is None
    assert authenticate("sam@example-corp.com", NEW_PASSWORD).id == member.id
    with pytest.raises(DomainError, match="do not match"):
        authenticate("sam@example-corp.com", factories.PASSWORD)
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "member.password_reset")
    ).all()
    assert entry.target_id == member.id


def test_a_reset_link_works_once(app: Flask, outbox: Outbox) -> None:
    factories.make_member(email="sam@example-corp.com")
    request_password_reset("sam@example-corp.com")
    token = reset_token_from(outbox, "sam@example-corp.com")
    reset_password(token, NEW_PASSWORD)

    with pytest.raises(DomainError, match="not valid any more"):
        reset_password(token, "an attacker's passphrase 99")

    db.session.rollback()
    assert authenticate("sam@example-corp.com", NEW_PASSWORD)


def test_a_reset_link_expires_after_an_hour(app: Flask, outbox: Outbox) -> None:
    factories.make_member(email="sam@example-corp.com")
    before = utcnow()
    request_password_reset("sam@example-corp.com")
    token = reset_token_from(outbox, "sam@example-corp.com")
    reset = check_reset_token(token)
    assert before + timedelta(hours=1) <= reset.expires_at <= utcnow() + timedelta(hours=1)

    reset.expires_at = utcnow() - timedelta(seconds=1)
    commit()

    with pytest.raises(DomainError, match="not valid any more"):
        reset_password(token, NEW_PASSWORD)
    db.session.rollback()
    assert authenticate("sam@example-corp.com", factories.PASSWORD)


def test_a_weak_new_password_is_refused_and_the_link_still_works(
    app: Flask, outbox: Outbox
) -> None:
    member = factories.make_member(email="sam@example-corp.com")
    old_version = member.session_version
    request_password_reset("sam@example-corp.com")
    token = reset_token_from(outbox, "sam@example-corp.com")

    with pytest.raises(DomainError, match="at least 12"):
        reset_password(token, "short")

    db.session.rollback()
    assert db.session.get(Member, member.id).session_version == old_version
    reset_password(token, NEW_PASSWORD)


def test_an_unknown_token_is_refused(app: Flask) -> None:
    with pytest.raises(DomainError, match="not valid any more"):
        reset_password("made-up-token", NEW_PASSWORD)


def test_a_reset_for_an_unknown_email_sends_nothing(app: Flask, outbox: Outbox) -> None:
    factories.make_member(email="sam@example-corp.com")

    request_password_reset("nobody@example-corp.com")

    assert outbox.messages == []
    assert db.session.scalars(select(PasswordResetToken)).all() == []


@pytest.mark.parametrize("status", ["revoked", "suspended"])
def test_a_reset_for_a_member_who_cannot_sign_in_sends_nothing(
    app: Flask, outbox: Outbox, status: str
) -> None:
    member = factories.make_member(email="sam@example-corp.com", status=status)
    if status == "suspended":
        member.suspended_until = utcnow() + timedelta(days=1)
        commit()

    request_password_reset("sam@example-corp.com")

    assert outbox.messages == []


def test_a_reset_link_stops_working_when_the_member_is_revoked(app: Flask, outbox: Outbox) -> None:
    member = factories.make_member(email="sam@example-corp.com")
    request_password_reset("sam@example-corp.com")
    token = reset_token_from(outbox, "sam@example-corp.com")
    member.status = "revoked"
    commit()

    with pytest.raises(DomainError, match="cannot sign in"):
        reset_password(token, NEW_PASSWORD)
