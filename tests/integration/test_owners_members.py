"""The owners' console, members: roles and tiers changed from the browser, with a reason,
audit-logged, the member told; guard rails around owners; everyone else gets 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from community.core.audit import AuditEntry
from community.core.errors import NotFound
from community.extensions import db
from community.members import appointments
from community.members.models import Member
from community.notifications.models import Notification
from tests import factories
from tests.conftest import run_queued_work
from tests.factories.forum import make_community


@pytest.fixture
def owner(as_member):
    return as_member("owner", name="Olive Owner")


def _member(member_id: int) -> Member:
    db.session.expire_all()
    return db.session.get(Member, member_id)


def _audit(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _told(member: Member) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification.text).where(
                Notification.member_id == member.id, Notification.kind == "standing"
            )
        )
    )


def test_an_owner_appoints_a_moderator_with_a_reason(owner, as_member, outbox):
    client, _ = owner
    member_client, member = as_member()
    assert member_client.get("/moderation/requests").status_code == 403
    response = client.submit(
        f"/admin/members/{member.id}/role",
        {"role-role": "moderator", "role-reason": "Runs the Europe chapter's reviews"},
    )
    assert response.status_code == 302
    assert _member(member.id).role == "moderator"
    assert member_client.get("/moderation/requests").status_code == 200  # at once
    [entry] = _audit("member.role_changed")
    assert entry.reason == "Runs the Europe chapter's reviews"
    assert entry.details == {"role_from": "member", "role_to": "moderator"}
    assert entry.policy_version == 1
    audit_page = client.get("/admin/audit").get_data(as_text=True)
    assert "member.role_changed" in audit_page and "Runs the Europe chapter" in audit_page
    assert _told(member) == ["You are now a moderator of every community"]
    run_queued_work()
    assert [m["Subject"] for m in outbox.to(member.email)] == [
        "You are now a moderator of every community"
    ]


def test_an_owner_removes_an_editor(owner, as_member):
    client, _ = owner
    editor_client, editor = as_member("editor")
    assert editor_client.get("/library/new").status_code == 200
    client.submit(
        f"/admin/members/{editor.id}/role", {"role-role": "member", "role-reason": "Stepped down"}
    )
    assert _member(editor.id).role == "member"
    assert editor_client.get("/library/new").status_code == 403
    assert _told(editor) == ["You are no longer on the council's staff: your role is now member"]


def test_an_owner_moves_a_member_to_another_tier(owner, as_member):
    client, _ = owner
    _, member = as_member(tier="strategist")
    response = client.submit(
        f"/admin/members/{member.id}/tier",
        {"tier-tier": "executive", "tier-reason": "Promoted to VP, confirmed on LinkedIn"},
    )
    assert response.status_code == 302
    assert _member(member.id).tier.slug == "executive"
    [entry] = _audit("member.tier_changed")
    assert entry.reason == "Promoted to VP, confirmed on LinkedIn"
    assert entry.details == {"tier_from": "strategist", "tier_to": "executive"}
    assert _told(member) == ["You are now in the Executive tier"]


def test_a_change_without_a_reason_is_a_form_error_that_keeps_the_choice(owner, as_member):
    client, _ = owner
    _, member = as_member()
    response = client.submit(
        f"/admin/members/{member.id}/role", {"role-role": "editor", "role-reason": "  "}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Give the reason" in page or "This field is required" in page
    assert '<option selected value="editor">' in page
    assert _member(member.id).role == "member" and not _audit("member.role_changed")


def test_an_unknown_role_or_tier_is_a_form_error(owner, as_member):
    client, _ = owner
    _, member = as_member()
    response = client.submit(
        f"/admin/members/{member.id}/role", {"role-role": "king", "role-reason": "why not"}
    )
    assert response.status_code == 400
    assert "Choose one of the roles offered" in response.get_data(as_text=True)
    response = client.submit(
        f"/admin/members/{member.id}/tier", {"tier-tier": "platinum", "tier-reason": "why not"}
    )
    assert response.status_code == 400
    assert "Choose one of the tiers offered" in response.get_data(as_text=True)


def test_an_owner_cannot_change_their_own_role(owner):
    client, me = owner
    page = client.get(f"/admin/members/{me.id}").get_data(as_text=True)
    assert "You cannot change your own role" in page
    response = client.submit(
        f"/admin/members/{me.id}/role", {"role-role": "member", "role-reason": "Oops"}
    )
    assert response.status_code == 400
    assert "You cannot change your own role" in response.get_data(as_text=True)
    assert _member(me.id).role == "owner"


def test_another_owner_can_be_removed_and_a_demoted_owner_cannot_demote_back(owner, as_member):
    """Two owners demoting each other: the first wins, the second is no longer an owner (the
    service re-reads the owners under a lock), so the council keeps one."""
    client, me = owner
    other_client, other = as_member("owner")
    other_client.get("/admin/")  # the second owner has the console open too
    response = client.submit(
        f"/admin/members/{other.id}/role", {"role-role": "moderator", "role-reason": "Handover"}
    )
    assert response.status_code == 302 and _member(other.id).role == "moderator"
    response = other_client.submit(
        f"/admin/members/{me.id}/role", {"role-role": "member", "role-reason": "Revenge"}
    )
    assert response.status_code == 404
    assert _member(me.id).role == "owner"


def test_a_suspended_member_is_reinstated_before_being_appointed(owner):
    client, _ = owner
    suspended = factories.make_member(status="suspended")
    response = client.submit(
        f"/admin/members/{suspended.id}/role", {"role-role": "moderator", "role-reason": "Help"}
    )
    assert response.status_code == 400
    assert "reinstate it first" in response.get_data(as_text=True)


def test_the_member_list_filters_by_role_and_tier(owner, as_member):
    client, _ = owner
    as_member("moderator", name="Mona Moderator")
    as_member(tier="strategist", name="Stan Strategist")
    page = client.get("/admin/members?role=moderator").get_data(as_text=True)
    assert "Mona Moderator" in page and "Stan Strategist" not in page
    page = client.get("/admin/members?tier=strategist").get_data(as_text=True)
    assert "Stan Strategist" in page and "Mona Moderator" not in page


@pytest.mark.parametrize("role", ["member", "moderator", "editor"])
def test_everyone_but_owners_gets_404(as_member, role):
    client, me = as_member(role)
    _, other = as_member()
    assert client.get("/admin/members").status_code == 404
    assert client.get(f"/admin/members/{other.id}").status_code == 404
    response = client.submit(
        f"/admin/members/{me.id}/role", {"role-role": "owner", "role-reason": "Because"}
    )
    assert response.status_code == 404
    assert _member(me.id).role == role


def test_an_unknown_member_answers_404(owner):
    client, _ = owner
    assert client.get("/admin/members/987654").status_code == 404
    response = client.submit(
        "/admin/members/987654/tier", {"tier-tier": "council", "tier-reason": "x"}
    )
    assert response.status_code == 404


def test_the_service_rereads_the_owners_before_demoting_one(as_member):
    """The race the lock is for: the actor was demoted after their page loaded (their object
    still says owner); demoting the other owner must then fail, not leave the council empty."""
    _, me = as_member("owner")
    _, other = as_member("owner")
    db.session.execute(
        update(Member).where(Member.id == me.id).values(role="moderator"),
        execution_options={"synchronize_session": False},
    )  # another owner's commit, which ``me`` (loaded before it) has not seen
    assert me.role == "owner"
    with pytest.raises(NotFound):
        appointments.change_role(me, other.id, "member", "Race")
    db.session.rollback()
    assert _member(other.id).role == "owner"


def test_the_member_page_appoints_and_removes_chapter_leads(owner, as_member):
    client, _ = owner
    _, member = as_member()
    europe = make_community("europe", is_chapter=True, name="Europe")
    page = client.get(f"/admin/members/{member.id}").get_data(as_text=True)
    assert "Leads no chapter" in page and f"/admin/communities/{europe.id}/leads" in page
    client.submit(f"/admin/communities/{europe.id}/leads", {"handle": member.handle})
    page = client.get(f"/admin/members/{member.id}").get_data(as_text=True)
    assert "Leads <a" in page and f"/leads/{member.id}/remove" in page
