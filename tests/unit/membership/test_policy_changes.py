"""Owners change the policy: a preview of who is affected, then one rule applied to all."""

from __future__ import annotations

import dataclasses

import pytest
from flask import Flask
from sqlalchemy import func, select

from community.core.audit import AuditEntry
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit
from community.extensions import db
from community.members.models import Member, MemberStatus
from community.members.services import authenticate
from community.members.sessions import load_member_for_session, start_session
from community.membership.models import MembershipPolicy
from community.membership.policy_changes import (
    PolicyDraft,
    apply_policy_change,
    check_draft,
    draft_from_policy,
    preview_policy_change,
)
from community.membership.services import get_current_policy
from tests import factories
from tests.conftest import Outbox


def current_draft(**changes) -> PolicyDraft:
    return dataclasses.replace(draft_from_policy(get_current_policy()), **changes)


def without_directors(**changes) -> PolicyDraft:
    """Directors no longer admitted; VPs move up to the council tier."""
    draft = current_draft(**changes)
    draft.admitted_levels = [level for level in draft.admitted_levels if level != "director"]
    draft.level_tiers = {**draft.level_tiers, "vp": "council"}
    draft.level_tiers.pop("director")
    return draft


def policy_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MembershipPolicy))


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def people(app: Flask) -> dict[str, Member]:
    return {
        "owner": factories.make_member("owner", "council", name="Olive Owner"),
        "ceo": factories.make_member("member", "council", name="Cora CEO"),
        "vp": factories.make_member("member", "executive", name="Victor VP"),
        "director": factories.make_member("member", "strategist", name="Dana Director"),
        # Admitted by an owner's override: a manager, outside the policy all along.
        "manager": factories.make_member(
            "member", "strategist", level="manager", name="Manny Manager"
        ),
        "gone": factories.make_member("member", "strategist", name="Gus Gone", status="revoked"),
    }


def test_preview_lists_who_loses_membership_and_who_changes_tier(
    people: dict[str, Member],
) -> None:
    impacts = preview_policy_change(without_directors())

    by_name = {impact.member.name: impact for impact in impacts}
    assert set(by_name) == {"Dana Director", "Victor VP"}
    assert by_name["Dana Director"].outcome == "revoke"
    assert by_name["Dana Director"].description == "no longer qualifies: membership revoked"
    assert by_name["Victor VP"].outcome == "tier"
    assert (by_name["Victor VP"].old_tier, by_name["Victor VP"].new_tier) == (
        "executive",
        "council",
    )
    assert by_name["Victor VP"].description == "moves from executive to council"


def test_preview_changes_nothing(people: dict[str, Member], outbox: Outbox) -> None:
    outbox.clear()

    preview_policy_change(without_directors())
    commit()

    assert policy_count() == 1
    assert db.session.get(Member, people["director"].id).status == MemberStatus.ACTIVE
    assert db.session.get(Member, people["vp"].id).tier.slug == "executive"
    assert outbox.messages == []


def test_an_unchanged_draft_affects_nobody(people: dict[str, Member]) -> None:
    assert preview_policy_change(current_draft()) == []


def test_members_admitted_by_override_who_stay_outside_are_untouched(
    people: dict[str, Member], outbox: Outbox
) -> None:
    owner, manager = people["owner"], people["manager"]
    outbox.clear()

    impacts = preview_policy_change(without_directors())
    apply_policy_change(owner, without_directors(), base_version=1)

    assert manager.id not in {impact.member.id for impact in impacts}
    manager = db.session.get(Member, manager.id)
    assert manager.status == MemberStatus.ACTIVE
    assert manager.tier.slug == "strategist"
    assert outbox.to(manager.email) == []


def test_a_member_admitted_by_override_whose_level_becomes_admitted_gets_the_policy_tier(
    people: dict[str, Member],
) -> None:
    draft = current_draft()
    draft.admitted_levels = [*draft.admitted_levels, "manager"]
    draft.level_tiers = {**draft.level_tiers, "manager": "strategist"}
    assert preview_policy_change(draft) == []  # already in that tier

    draft.level_tiers["manager"] = "executive"
    [impact] = preview_policy_change(draft)
    assert impact.member.id == people["manager"].id
    assert (impact.outcome, impact.new_tier) == ("tier", "executive")


def test_applying_publishes_the_next_version_and_applies_it_to_everyone(
    people: dict[str, Member], outbox: Outbox
) -> None:
    owner, director, vp = people["owner"], people["director"], people["vp"]
    director_sessions = director.session_version
    old_director_session = start_session(director)
    outbox.clear()

    policy = apply_policy_change(
        owner, without_directors(note="Directors now join through chapters."), base_version=1
    )

    assert policy.version == 2
    assert get_current_policy().version == 2
    assert "director" not in get_current_policy().admitted_levels
    assert policy.created_by_id == owner.id

    director = db.session.get(Member, director.id)
    assert director.status == MemberStatus.REVOKED
    assert director.session_version == director_sessions + 1
    assert "version 2" in director.status_reason
    assert load_member_for_session(old_director_session) is None
    with pytest.raises(DomainError, match="revoked"):
        authenticate(director.email, factories.PASSWORD)

    vp = db.session.get(Member, vp.id)
    assert vp.tier.slug == "council"
    assert vp.status == MemberStatus.ACTIVE

    [to_director] = outbox.to(director.email)
    assert "version 2" in outbox.text(to_director)
    assert "membership has ended" in outbox.text(to_director)
    assert "Directors now join through chapters." in outbox.text(to_director)
    [to_vp] = outbox.to(vp.email)
    assert "now in the Council tier" in outbox.text(to_vp)
    for unaffected in ("owner", "ceo", "manager", "gone"):
        assert outbox.to(people[unaffected].email) == []

    [revoked] = audit("member.revoked_by_policy")
    assert (revoked.target_id, revoked.policy_version, revoked.actor_id) == (
        director.id,
        2,
        owner.id,
    )
    [moved] = audit("member.tier_changed")
    assert moved.target_id == vp.id
    assert moved.details == {"old_tier": "executive", "new_tier": "council"}
    [changed] = audit("policy.changed")
    assert changed.policy_version == 2
    assert changed.reason == "Directors now join through chapters."
    assert changed.details == {"members_revoked": 1, "members_moved": 1}


def test_earlier_versions_are_kept_unchanged(people: dict[str, Member]) -> None:
    apply_policy_change(people["owner"], without_directors(), base_version=1)

    first = db.session.scalars(select(MembershipPolicy).where(MembershipPolicy.version == 1)).one()
    assert "director" in first.admitted_levels
    assert policy_count() == 2


def test_new_requests_are_judged_under_the_new_version(people: dict[str, Member]) -> None:
    apply_policy_change(people["owner"], without_directors(), base_version=1)

    outcome = factories.make_request(level="director")

    assert not outcome.verdict.eligible
    assert outcome.request.policy_version == 2
    assert "version 2" in outcome.request.failed_rule


def test_a_stale_base_version_is_refused(people: dict[str, Member], outbox: Outbox) -> None:
    owner = people["owner"]
    apply_policy_change(owner, current_draft(nomination_quota=3), base_version=1)
    outbox.clear()

    with pytest.raises(DomainError, match="now version 2"):
        apply_policy_change(owner, without_directors(), base_version=1)

    db.session.rollback()
    assert get_current_policy().version == 2
    assert db.session.get(Member, people["director"].id).status == MemberStatus.ACTIVE
    assert outbox.messages == []


def test_a_change_that_would_revoke_an_owner_is_refused(app: Flask, outbox: Outbox) -> None:
    owner = factories.make_member("owner", "strategist", name="Dora Director-Owner")
    other_owner = factories.make_member("owner", "council")
    director = factories.make_member("member", "strategist")
    outbox.clear()

    with pytest.raises(DomainError, match="Dora Director-Owner"):
        apply_policy_change(other_owner, without_directors(), base_version=1)

    db.session.rollback()
    assert policy_count() == 1
    assert db.session.get(Member, owner.id).status == MemberStatus.ACTIVE
    assert db.session.get(Member, director.id).status == MemberStatus.ACTIVE
    assert outbox.messages == []
    assert audit("policy.changed") == []


@pytest.mark.parametrize("role", ["member", "moderator", "editor"])
def test_only_owners_apply_a_policy_change(people: dict[str, Member], role: str) -> None:
    actor = factories.make_member(role)

    with pytest.raises(PermissionDenied):
        apply_policy_change(actor, without_directors(), base_version=1)

    db.session.rollback()
    assert policy_count() == 1


def test_rules_for_requests_do_not_reach_current_members(
    people: dict[str, Member],
) -> None:
    gmail_member = factories.make_member("member", "council", email="ceo@gmail.com")
    draft = current_draft(blocked_email_domains=["gmail.com"], cooldown_days=10, invitation_days=7)

    assert preview_policy_change(draft) == []
    policy = apply_policy_change(people["owner"], draft, base_version=1)

    assert (policy.cooldown_days, policy.invitation_days) == (10, 7)
    assert db.session.get(Member, gmail_member.id).status == MemberStatus.ACTIVE


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"admitted_levels": []}, "admitted_levels", "at least one level"),
        ({"admitted_levels": ["c_suite", "janitor"]}, "admitted_levels", "Unknown level: janitor"),
        ({"level_tiers": {"c_suite": "council"}}, "tier_evp", "Choose a tier for EVP"),
        (
            {
                "level_tiers": {"c_suite": "platinum", "evp": "council"},
                "admitted_levels": ["c_suite", "evp"],
            },
            "tier_c_suite",
            "Choose a tier for C-Suite",
        ),
        ({"nomination_quota": -1}, "nomination_quota", "from 0 to 50"),
        ({"nomination_quota": 51}, "nomination_quota", "from 0 to 50"),
        ({"cooldown_days": 3651}, "cooldown_days", "from 0 to 3650"),
        ({"invitation_days": 0}, "invitation_days", "from 1 to 60"),
        ({"invitation_days": 61}, "invitation_days", "from 1 to 60"),
        ({"blocked_email_domains": ["not a domain"]}, "blocked_email_domains", "not a mail"),
        ({"blocked_email_domains": ["gmail"]}, "blocked_email_domains", "not a mail"),
    ],
)
def test_check_draft_names_the_field_at_fault(
    app: Flask, changes: dict, field: str, message: str
) -> None:
    draft = current_draft(**changes)

    with pytest.raises(DomainError, match=message) as raised:
        check_draft(draft)

    assert raised.value.field == field


def test_an_invalid_draft_cannot_be_previewed_or_applied(app: Flask) -> None:
    owner = factories.make_member("owner")
    draft = current_draft(invitation_days=0)

    with pytest.raises(DomainError):
        preview_policy_change(draft)
    with pytest.raises(DomainError):
        apply_policy_change(owner, draft, base_version=1)
    db.session.rollback()
    assert policy_count() == 1


def test_a_valid_draft_passes(app: Flask) -> None:
    check_draft(current_draft(blocked_email_domains=["gmail.com", "mail.example.co.uk"]))
