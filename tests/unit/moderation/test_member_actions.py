"""Moderators revoke, suspend and reinstate members: within their powers, with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.core.clock import utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit
from community.extensions import db
from community.members.models import Member, MemberStatus
from community.members.services import authenticate
from community.members.sessions import load_member_for_session, start_session
from community.moderation.services import reinstate_member, revoke_member, suspend_member
from tests import factories
from tests.conftest import Outbox


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def fresh(member: Member) -> Member:
    db.session.expire_all()
    return db.session.get(Member, member.id)


def act(action: str, actor: Member, target: Member, reason: str = "Repeated sales pitches"):
    if action == "revoke":
        return revoke_member(actor, target.id, reason)
    if action == "suspend":
        return suspend_member(actor, target.id, reason, utcnow() + timedelta(days=7))
    if target.status == MemberStatus.ACTIVE:
        target.status = MemberStatus.SUSPENDED.value
        target.suspended_until = utcnow() + timedelta(days=7)
        commit()
    return reinstate_member(actor, target.id, reason)


ACTIONS = ["revoke", "suspend", "reinstate"]


# --- who may act on whom ------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("actor_role", "target_role"),
    [
        ("moderator", "member"),
        ("moderator", "editor"),
        ("owner", "member"),
        ("owner", "moderator"),
    ],
)
def test_moderators_act_on_members_with_less_power(
    app: Flask, action: str, actor_role: str, target_role: str
) -> None:
    actor = factories.make_member(actor_role)
    target = factories.make_member(target_role)

    act(action, actor, target)

    expected = {"revoke": "revoked", "suspend": "suspended", "reinstate": "active"}[action]
    assert fresh(target).status == expected


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("actor_role", "target_role"),
    [
        ("moderator", "owner"),
        ("moderator", "moderator"),
        ("owner", "owner"),
        ("member", "member"),
        ("editor", "member"),
    ],
)
def test_nobody_acts_on_equal_or_greater_power(
    app: Flask, outbox: Outbox, action: str, actor_role: str, target_role: str
) -> None:
    actor = factories.make_member(actor_role)
    target = factories.make_member(target_role)
    status = target.status if action != "reinstate" else "suspended"
    outbox.clear()

    with pytest.raises(PermissionDenied):
        act(action, actor, target)

    db.session.rollback()
    assert fresh(target).status == status
    assert outbox.messages == []
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == actor.id)).all() == []


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["moderator", "owner"])
def test_nobody_acts_on_themselves(app: Flask, action: str, role: str) -> None:
    actor = factories.make_member(role)

    with pytest.raises(PermissionDenied):
        act(action, actor, actor)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(app: Flask, outbox: Outbox, action: str, reason: str) -> None:
    moderator = factories.make_member("moderator")
    target = factories.make_member("member")
    outbox.clear()

    with pytest.raises(DomainError, match="reason") as raised:
        act(action, moderator, target, reason=reason)

    assert raised.value.field == "reason"
    db.session.rollback()
    assert outbox.messages == []


def test_an_unknown_member_is_not_found(app: Flask) -> None:
    moderator = factories.make_member("moderator")

    with pytest.raises(NotFound):
        revoke_member(moderator, 999_999, "reason")


# --- revoking -----------------------------------------------------------------------------


def test_revoking_signs_the_member_out_everywhere_and_bars_sign_in(
    app: Flask, outbox: Outbox
) -> None:
    moderator = factories.make_member("moderator")
    target = factories.make_member("member", email="sam@example-corp.com")
    old_session = start_session(target)
    old_version = target.session_version
    assert load_member_for_session(old_session) is not None

    revoke_member(moderator, target.id, "  Sold to members  ", "  Please read the guidelines.  ")

    target = fresh(target)
    assert target.status == MemberStatus.REVOKED
    assert target.status_reason == "Sold to members"
    assert target.session_version == old_version + 1
    assert load_member_for_session(old_session) is None
    assert load_member_for_session(start_session(target)) is None  # not even with a new cookie
    with pytest.raises(DomainError, match="revoked"):
        authenticate("sam@example-corp.com", factories.PASSWORD)

    [message] = outbox.to("sam@example-corp.com")
    assert "ended" in message["Subject"]
    assert "Please read the guidelines." in outbox.text(message)
    [entry] = audit("member.revoked")
    assert entry.actor_id == moderator.id
    assert entry.target_id == target.id
    assert entry.reason == "Sold to members"
    assert entry.policy_version == 1


def test_revoking_twice_is_refused(app: Flask, outbox: Outbox) -> None:
    moderator = factories.make_member("moderator")
    target = factories.make_member("member")
    revoke_member(moderator, target.id, "reason")
    outbox.clear()

    with pytest.raises(DomainError, match="already revoked"):
        revoke_member(moderator, target.id, "again")

    db.session.rollback()
    assert outbox.messages == []
    assert len(audit("member.revoked")) == 1


# --- suspending ---------------------------------------------------------------------------


def test_a_suspended_member_cannot_sign_in_until_the_time_passes(
    app: Flask, outbox: Outbox
) -> None:
    moderator = factories.make_member("moderator")
    target = factories.make_member("member", email="sam@example-corp.com")
    old_session = start_session(target)
    old_version = target.session_version
    until = utcnow() + timedelta(days=3)

    suspend_member(moderator, target.id, "Cooling off", until, "See you in three days.")

    target = fresh(target)
    assert target.status == MemberStatus.SUSPENDED
    assert target.suspended_until == until
    assert target.session_version == old_version + 1
    assert load_member_for_session(old_session) is None
    assert load_member_for_session(start_session(target)) is None
    with pytest.raises(DomainError, match="suspended until"):
        authenticate("sam@example-corp.com", factories.PASSWORD)

    [message] = outbox.to("sam@example-corp.com")
    assert "suspended" in message["Subject"]
    assert "See you in three days." in outbox.text(message)
    [entry] = audit("member.suspended")
    assert entry.reason == "Cooling off"
    assert entry.actor_id == moderator.id
    assert entry.details["until"] == until.isoformat()

    # Time passes: the suspension has run out.
    target.suspended_until = utcnow() - timedelta(minutes=1)
    commit()

    member = authenticate("sam@example-corp.com", factories.PASSWORD)
    assert member.id == target.id
    member = fresh(member)
    assert member.status == MemberStatus.ACTIVE
    assert member.suspended_until is None
    assert load_member_for_session(start_session(member)) is not None


def test_a_suspension_must_end_in_the_future(app: Flask) -> None:
    moderator = factories.make_member("moderator")
    target = factories.make_member("member")

    with pytest.raises(DomainError, match="future") as raised:
        suspend_member(moderator, target.id, "reason", utcnow() - timedelta(hours=1))

    assert raised.value.field == "until"
    db.session.rollback()
    assert fresh(target).status == MemberStatus.ACTIVE


def test_a_revoked_member_cannot_be_suspended(app: Flask) -> None:
    moderator = factories.make_member("moderator")
    target = factories.make_member("member", status="revoked")

    with pytest.raises(DomainError, match="reinstate it first"):
        suspend_member(moderator, target.id, "reason", utcnow() + timedelta(days=1))


# --- reinstating --------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["revoked", "suspended"])
def test_reinstating_lets_the_member_sign_in_again(app: Flask, outbox: Outbox, status: str) -> None:
    moderator = factories.make_member("moderator")
    target = factories.make_member("member", email="sam@example-corp.com")
    if status == "revoked":
        revoke_member(moderator, target.id, "mistake")
    else:
        suspend_member(moderator, target.id, "mistake", utcnow() + timedelta(days=30))
    outbox.clear()

    reinstate_member(moderator, target.id, "Appeal upheld")

    target = fresh(target)
    assert target.status == MemberStatus.ACTIVE
    assert target.suspended_until is None
    assert target.status_reason == ""
    assert authenticate("sam@example-corp.com", factories.PASSWORD).id == target.id
    [message] = outbox.to("sam@example-corp.com")
    assert "active again" in message["Subject"]
    [entry] = audit("member.reinstated")
    assert entry.reason == "Appeal upheld"
    assert entry.actor_id == moderator.id


def test_reinstating_an_active_member_is_refused(app: Flask) -> None:
    moderator = factories.make_member("moderator")
    target = factories.make_member("member")

    with pytest.raises(DomainError, match="already active"):
        reinstate_member(moderator, target.id, "reason")
