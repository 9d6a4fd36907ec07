"""Requests to join and moderators' decisions on them, at the service level."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from community.core.audit import AuditEntry
from community.core.clock import utcnow
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit
from community.core.security import hash_token
from community.extensions import db
from community.membership.models import Invitation, MembershipRequest, Nomination, RequestStatus
from community.membership.services import (
    approve_request,
    decline_request,
    get_current_policy,
)
from tests import factories
from tests.conftest import Outbox

NEW_PASSWORD = "a long and varied passphrase 42"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def pending_request(**fields) -> MembershipRequest:
    outcome = factories.make_request(**fields)
    assert outcome.request is not None
    return outcome.request


# --- submitting ---------------------------------------------------------------------------


def test_a_request_is_stored_with_the_policy_version_and_its_verdict(
    app: Flask, outbox: Outbox
) -> None:
    outcome = factories.make_request(email="  Jane.Doe@BigCo.com ", level="vp")

    request = db.session.get(MembershipRequest, outcome.request.id)
    assert outcome.verdict.eligible
    assert request.email == "jane.doe@bigco.com"
    assert request.policy_version == get_current_policy().version == 1
    assert request.eligible is True
    assert request.failed_rule == ""
    assert request.status == RequestStatus.PENDING
    [message] = outbox.to("jane.doe@bigco.com")
    assert "received your request" in message["Subject"]


def test_an_ineligible_request_is_stored_with_the_rule_that_failed(app: Flask) -> None:
    outcome = factories.make_request(level="manager")

    assert not outcome.verdict.eligible
    request = db.session.get(MembershipRequest, outcome.request.id)
    assert request.eligible is False
    assert request.failed_rule.startswith("Level:")
    assert "version 1" in request.failed_rule
    assert request.status == RequestStatus.PENDING  # a moderator still sees it


def test_a_second_open_request_for_the_same_email_writes_nothing_and_emails_the_address(
    app: Flask, outbox: Outbox
) -> None:
    pending_request(email="jane@bigco.com")
    outbox.clear()

    outcome = factories.make_request(email="JANE@bigco.com", name="Jane Again")

    assert outcome.request is None
    assert count(MembershipRequest) == 1
    [message] = outbox.to("jane@bigco.com")
    assert "still under review" in message["Subject"]
    assert "Jane Again" in outbox.text(message)


def test_a_declined_email_cannot_apply_again_during_the_cooldown(
    app: Flask, outbox: Outbox
) -> None:
    moderator = factories.make_member("moderator")
    first = pending_request(email="jane@bigco.com")
    decline_request(moderator, first.id, "unverified")
    outbox.clear()

    outcome = factories.make_request(email="jane@bigco.com")

    assert outcome.request is None
    assert count(MembershipRequest) == 1
    [message] = outbox.to("jane@bigco.com")
    again_on = first.decided_at + timedelta(days=90)
    assert again_on.strftime("%d %B %Y") in outbox.text(message)
    assert "Nothing new was recorded" in outbox.text(message)


def test_after_the_cooldown_a_declined_email_may_apply_again(app: Flask, outbox: Outbox) -> None:
    moderator = factories.make_member("moderator")
    first = pending_request(email="jane@bigco.com")
    decline_request(moderator, first.id, "unverified")
    first.decided_at = utcnow() - timedelta(days=91)
    commit()

    outcome = factories.make_request(email="jane@bigco.com")

    assert outcome.request is not None
    assert count(MembershipRequest) == 2


def test_the_cooldown_follows_the_most_recent_decline(app: Flask) -> None:
    moderator = factories.make_member("moderator")
    old = pending_request(email="jane@bigco.com")
    decline_request(moderator, old.id, "unverified")
    old.decided_at = utcnow() - timedelta(days=200)
    commit()
    recent = pending_request(email="jane@bigco.com")
    decline_request(moderator, recent.id, "unverified")
    recent.decided_at = utcnow() - timedelta(days=10)
    commit()

    assert factories.make_request(email="jane@bigco.com").request is None


def test_an_active_members_email_writes_nothing_and_is_emailed(app: Flask, outbox: Outbox) -> None:
    member = factories.make_member(email="jane@bigco.com")

    outcome = factories.make_request(email="Jane@BigCo.com")

    assert outcome.request is None
    assert count(MembershipRequest) == 0
    [message] = outbox.to(member.email)
    assert "already a Council member" in message["Subject"]


def test_a_suspended_members_email_is_also_told_they_are_a_member(
    app: Flask, outbox: Outbox
) -> None:
    factories.make_member(email="jane@bigco.com", status="suspended")

    assert factories.make_request(email="jane@bigco.com").request is None
    assert count(MembershipRequest) == 0


def test_a_revoked_member_may_apply_again(app: Flask) -> None:
    factories.make_member(email="jane@bigco.com", status="revoked")

    assert factories.make_request(email="jane@bigco.com").request is not None


def test_the_public_verdict_is_the_same_whether_or_not_the_email_is_known(app: Flask) -> None:
    factories.make_member(email="jane@bigco.com")

    known = factories.make_request(email="jane@bigco.com", level="vp")
    unknown = factories.make_request(email="john@bigco.com", level="vp")

    assert known.verdict == unknown.verdict


def test_nominations_carry_the_referrer_and_are_limited_per_month(
    app: Flask, outbox: Outbox
) -> None:
    referrer = factories.make_member()
    for _ in range(5):
        assert factories.make_request(referrer=referrer).request.referrer_id == referrer.id
    outbox.clear()

    with pytest.raises(DomainError, match="5 nominations") as raised:
        factories.make_request(referrer=referrer, email="sixth@bigco.com")

    assert "first of the month" in raised.value.message
    db.session.rollback()
    assert count(MembershipRequest) == 5
    assert outbox.messages == []
    # Other members' quotas are their own.
    assert factories.make_request(referrer=factories.make_member()).request is not None


def test_the_nomination_quota_renews_each_month(app: Flask) -> None:
    referrer = factories.make_member()
    for _ in range(5):
        pending_request(referrer=referrer)
    last_month = utcnow().replace(day=1) - timedelta(days=1)
    for nomination in db.session.scalars(select(Nomination)):
        nomination.created_at = last_month
    commit()

    assert factories.make_request(referrer=referrer).request is not None


def test_the_nomination_quota_follows_the_current_policy(app: Flask) -> None:
    get_current_policy().nomination_quota = 1
    commit()
    referrer = factories.make_member()
    pending_request(referrer=referrer)

    with pytest.raises(DomainError, match="1 nominations"):
        factories.make_request(referrer=referrer)


# --- approving ----------------------------------------------------------------------------


def test_approving_an_eligible_request_creates_a_14_day_invitation_storing_only_the_hash(
    app: Flask, outbox: Outbox
) -> None:
    moderator = factories.make_member("moderator")
    request = pending_request(level="vp", email="jane@bigco.com")
    outbox.clear()
    before = utcnow()

    invitation, token = approve_request(moderator, request.id)

    stored = db.session.get(Invitation, invitation.id)
    assert stored.token_hash == hash_token(token)
    assert token not in {stored.token_hash, stored.email}
    assert stored.tier.slug == "executive"  # VP -> executive under policy v1
    assert before + timedelta(days=14) <= stored.expires_at <= utcnow() + timedelta(days=14)
    assert stored.accepted_at is None and stored.revoked_at is None
    assert request.status == RequestStatus.APPROVED
    assert request.decided_by_id == moderator.id
    assert request.decided_at is not None
    [entry] = audit("request.approved")
    assert entry.actor_id == moderator.id
    assert entry.target_id == request.id
    assert entry.policy_version == 1
    assert entry.details["tier"] == "executive"
    [message] = outbox.to("jane@bigco.com")
    assert "invitation" in message["Subject"].lower()
    assert f"/invite/{token}" in outbox.text(message)
    assert "Executive" in outbox.text(message)


def test_the_invitation_tier_and_lifetime_come_from_the_current_policy(app: Flask) -> None:
    moderator = factories.make_member("moderator")
    request = pending_request(level="director")
    policy = get_current_policy()
    policy.invitation_days = 3
    commit()

    invitation, _ = approve_request(moderator, request.id)

    assert invitation.tier.slug == "strategist"
    assert invitation.expires_at <= utcnow() + timedelta(days=3)
    assert invitation.expires_at > utcnow() + timedelta(days=2, hours=23)


def test_a_moderator_cannot_approve_an_ineligible_request(app: Flask, outbox: Outbox) -> None:
    moderator = factories.make_member("moderator")
    request = pending_request(level="manager")
    outbox.clear()

    with pytest.raises(PermissionDenied, match="only an owner"):
        approve_request(moderator, request.id, override_reason="I know them personally")

    db.session.rollback()
    assert db.session.get(MembershipRequest, request.id).status == RequestStatus.PENDING
    assert count(Invitation) == 0
    assert outbox.messages == []


def test_an_owner_needs_a_written_reason_to_approve_outside_the_policy(app: Flask) -> None:
    owner = factories.make_member("owner")
    request = pending_request(level="manager")

    with pytest.raises(DomainError, match="override reason") as raised:
        approve_request(owner, request.id, override_reason="   ")

    assert raised.value.field == "override_reason"
    db.session.rollback()
    assert db.session.get(MembershipRequest, request.id).status == RequestStatus.PENDING
    assert count(Invitation) == 0


def test_an_owner_override_is_approved_and_audited_with_its_reason(
    app: Flask, outbox: Outbox
) -> None:
    owner = factories.make_member("owner")
    request = pending_request(level="manager", email="jane@bigco.com")

    invitation, _ = approve_request(owner, request.id, override_reason="  Founding sponsor.  ")

    assert request.status == RequestStatus.APPROVED
    assert request.override_reason == "Founding sponsor."
    assert invitation.tier.slug == "strategist"  # level not admitted: the lowest tier
    assert audit("request.approved") == []
    [entry] = audit("request.approved_override")
    assert entry.reason == "Founding sponsor."
    assert entry.actor_id == owner.id
    assert entry.policy_version == 1
    assert entry.details["failed_rule"].startswith("Level:")
    assert len(outbox.to("jane@bigco.com")) == 2  # received, then the invitation


def test_an_eligible_request_records_no_override_reason(app: Flask) -> None:
    owner = factories.make_member("owner")
    request = pending_request(level="c_suite")

    approve_request(owner, request.id, override_reason="not needed")

    assert request.override_reason == ""
    [entry] = audit("request.approved")
    assert entry.reason == ""


def test_a_request_is_judged_again_under_the_current_policy_when_approved(app: Flask) -> None:
    moderator = factories.make_member("moderator")
    request = pending_request(level="vp")
    policy = get_current_policy()
    policy.blocked_email_domains = [*policy.blocked_email_domains, "bigco.com"]
    commit()

    with pytest.raises(PermissionDenied):
        approve_request(moderator, request.id)


def test_members_cannot_decide_on_requests(app: Flask) -> None:
    member = factories.make_member("member")
    request = pending_request()

    with pytest.raises(PermissionDenied):
        approve_request(member, request.id)
    with pytest.raises(PermissionDenied):
        decline_request(member, request.id, "level")


# --- declining ----------------------------------------------------------------------------


def test_declining_records_the_category_and_sends_a_courteous_email(
    app: Flask, outbox: Outbox
) -> None:
    moderator = factories.make_member("moderator")
    request = pending_request(level="manager", email="jane@bigco.com")
    outbox.clear()

    decline_request(moderator, request.id, "level", "  Thank you for applying.  ")

    assert request.status == RequestStatus.DECLINED
    assert request.decline_category == "level"
    assert request.decline_message == "Thank you for applying."
    [message] = outbox.to("jane@bigco.com")
    body = outbox.text(message)
    assert "Role level is below the membership policy" in body
    assert "Thank you for applying." in body
    assert "version 1" in body
    assert (request.decided_at + timedelta(days=90)).strftime("%d %B %Y") in body
    [entry] = audit("request.declined")
    assert entry.actor_id == moderator.id
    assert entry.policy_version == 1


@pytest.mark.parametrize("category", ["", "rude", "LEVEL"])
def test_declining_needs_a_valid_category(app: Flask, outbox: Outbox, category: str) -> None:
    moderator = factories.make_member("moderator")
    request = pending_request()
    outbox.clear()

    with pytest.raises(DomainError, match="reason") as raised:
        decline_request(moderator, request.id, category, "message")

    assert raised.value.field == "category"
    db.session.rollback()
    assert db.session.get(MembershipRequest, request.id).status == RequestStatus.PENDING
    assert outbox.messages == []


def test_declining_as_other_needs_a_message(app: Flask, outbox: Outbox) -> None:
    moderator = factories.make_member("moderator")
    request = pending_request()
    outbox.clear()

    with pytest.raises(DomainError, match="Other") as raised:
        decline_request(moderator, request.id, "other", "   ")
    assert raised.value.field == "message"
    db.session.rollback()
    assert outbox.messages == []

    decline_request(
        moderator, request.id, "other", "We are not open to new members in your region."
    )
    assert request.status == RequestStatus.DECLINED


@pytest.mark.parametrize("first", ["approve", "decline"])
def test_a_request_cannot_be_decided_twice(app: Flask, outbox: Outbox, first: str) -> None:
    moderator = factories.make_member("moderator")
    request = pending_request(level="vp")
    if first == "approve":
        approve_request(moderator, request.id)
    else:
        decline_request(moderator, request.id, "unverified")
    outbox.clear()
    invitations = count(Invitation)

    with pytest.raises(DomainError, match="already"):
        approve_request(moderator, request.id)
    with pytest.raises(DomainError, match="already"):
        decline_request(moderator, request.id, "level")

    db.session.rollback()
    assert count(Invitation) == invitations
    assert outbox.messages == []
