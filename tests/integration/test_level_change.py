"""A member's own level change, judged by the current policy the same way for everyone."""

from __future__ import annotations

from sqlalchemy import select

from community.core.audit import AuditEntry
from community.extensions import db
from community.membership.models import LevelChangeRequest
from community.membership.services import get_current_policy


def choose(client, level: str):
    return client.submit("/settings/account/level", {"level": level})


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_level_the_policy_does_not_admit_cannot_be_chosen(as_member):
    client, member = as_member(tier="strategist")  # a director

    response = choose(client, "manager")

    assert response.status_code == 400
    assert "Manager is not among them" in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.level == "director"
    assert db.session.scalars(select(LevelChangeRequest)).all() == []


def test_a_level_in_the_same_tier_changes_at_once_and_is_audited(as_member):
    client, member = as_member(tier="council")  # c_suite

    assert choose(client, "svp").status_code == 302

    db.session.refresh(member)
    assert (member.level, member.tier.slug) == ("svp", "council")
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "member.level_changed")
    ).one()
    assert entry.policy_version == get_current_policy().version
    assert entry.details == {"from_level": "c_suite", "to_level": "svp"}


def test_a_level_in_another_tier_waits_for_a_moderator_who_approves_it(as_member):
    client, member = as_member(tier="strategist")  # director
    moderator_client, _ = as_member("moderator")

    assert choose(client, "vp").status_code == 302

    db.session.refresh(member)
    assert (member.level, member.tier.slug) == ("director", "strategist")  # nothing yet
    change = db.session.scalars(select(LevelChangeRequest)).one()
    assert change.policy_version == get_current_policy().version
    assert "Waiting for a moderator" in client.get("/settings/account").get_data(as_text=True)
    queue = moderator_client.get("/moderation/level-changes").get_data(as_text=True)
    assert member.name in queue and "policy version 1" in queue

    answer = moderator_client.submit(f"/moderation/level-changes/{change.id}/approve")

    assert answer.status_code == 302
    db.session.refresh(member)
    assert (member.level, member.tier.slug) == ("vp", "executive")
    assert "level_change.approved" in audit_actions()
    assert member.name not in moderator_client.get("/moderation/level-changes").get_data(
        as_text=True
    )


def test_a_declined_level_change_leaves_level_and_tier(as_member):
    client, member = as_member(tier="executive")  # vp
    moderator_client, _ = as_member("moderator")
    choose(client, "evp")
    change = db.session.scalars(select(LevelChangeRequest)).one()

    moderator_client.submit(f"/moderation/level-changes/{change.id}/decline")

    db.session.refresh(member)
    assert (member.level, member.tier.slug) == ("vp", "executive")
    assert "level_change.declined" in audit_actions()
    assert choose(client, "evp").status_code == 302  # may ask again


def test_one_level_change_waits_at_a_time(as_member):
    client, _ = as_member(tier="strategist")
    choose(client, "vp")
    response = choose(client, "svp")
    assert response.status_code == 400
    assert "waiting for a moderator already" in response.get_data(as_text=True)


def test_members_cannot_decide_level_changes_and_moderators_not_their_own(as_member):
    moderator_client, moderator = as_member("moderator", tier="strategist")
    choose(moderator_client, "vp")
    change = db.session.scalars(select(LevelChangeRequest)).one()
    member_client, _ = as_member()

    assert member_client.submit(f"/moderation/level-changes/{change.id}/approve").status_code == 403
    assert (
        moderator_client.submit(f"/moderation/level-changes/{change.id}/approve").status_code == 403
    )
    db.session.refresh(moderator)
    assert moderator.tier.slug == "strategist"


def test_a_missing_level_change_is_a_404(as_member):
    moderator_client, _ = as_member("moderator")
    assert moderator_client.submit("/moderation/level-changes/999/approve").status_code == 404


def test_an_invented_level_is_a_form_error(as_member):
    client, _ = as_member()
    assert choose(client, "emperor").status_code == 400
