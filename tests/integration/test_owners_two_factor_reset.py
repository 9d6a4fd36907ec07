"""An owner turns off a member's two-step sign-in after they lost their phone and recovery
codes: with a reason in the audit log, the member signed out everywhere and told by email, and
never for the owner themselves or by anyone but an owner."""

from __future__ import annotations

from sqlalchemy import select

from community.core.audit import AuditEntry
from community.extensions import db
from community.members.models import Member
from tests.integration.test_two_factor import code_step, enrol, password_step, signed_in

RESET = "/admin/members/{}/two-factor-reset"
REASON = {"reset-reason": "Called her on the number in our records; phone lost abroad"}


def _member(member_id: int) -> Member:
    db.session.expire_all()
    return db.session.get(Member, member_id)


def test_an_owner_resets_a_lost_second_factor_and_the_member_signs_in_with_a_password(
    app, as_member, outbox
):
    owner_client, _ = as_member("owner")
    member_client, member = as_member(name="Grace Hopper")
    enrol(member_client)
    page = owner_client.get(f"/admin/members/{member.id}").get_data(as_text=True)
    assert "Turn off two-step sign-in" in page

    response = owner_client.submit(RESET.format(member.id), REASON)

    assert response.status_code == 302
    assert not _member(member.id).uses_two_factor
    assert not signed_in(member_client)  # whoever held her session is out
    client, step = password_step(app, _member(member.id))
    assert "/login/code" not in step.headers["Location"]  # the password alone lets her in
    assert signed_in(client)
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "member.two_factor_reset")
    ).all()
    assert entry.reason == REASON["reset-reason"]
    [mail] = outbox.to(member.email)
    assert "turned off two-step sign-in" in outbox.text(mail)
    assert "http://127.0.0.1:5000/login" in outbox.text(mail)


def test_the_reset_needs_a_reason_and_keeps_the_second_factor_without_one(as_member):
    owner_client, _ = as_member("owner")
    member_client, member = as_member()
    enrol(member_client)
    response = owner_client.submit(RESET.format(member.id), {"reset-reason": "  "})
    assert response.status_code == 400
    assert _member(member.id).uses_two_factor
    assert signed_in(member_client)


def test_an_owner_cannot_reset_their_own_second_factor(as_member):
    owner_client, owner = as_member("owner")
    enrol(owner_client)
    page = owner_client.get(f"/admin/members/{owner.id}").get_data(as_text=True)
    assert "Turn off two-step sign-in" not in page
    response = owner_client.submit(RESET.format(owner.id), REASON)
    assert response.status_code == 400
    assert "another owner can" in response.get_data(as_text=True)
    assert _member(owner.id).uses_two_factor


def test_nobody_but_an_owner_may_reset_and_the_route_answers_them_404(app, as_member):
    member_client, member = as_member()
    enrol(member_client)
    for role in ("member", "moderator", "editor"):
        client, _ = as_member(role)
        assert client.submit(RESET.format(member.id), REASON).status_code == 404
    owner_client, _ = as_member("owner")
    assert owner_client.submit(RESET.format(999_999), REASON).status_code == 404
    assert _member(member.id).uses_two_factor
    client, step = password_step(app, _member(member.id))
    assert "/login/code" in step.headers["Location"]
    assert code_step(client, "000000").status_code == 400


def test_a_member_without_two_step_sign_in_is_offered_no_reset(as_member):
    owner_client, _ = as_member("owner")
    _, member = as_member()
    page = owner_client.get(f"/admin/members/{member.id}").get_data(as_text=True)
    assert "Turn off two-step sign-in" not in page
    response = owner_client.submit(RESET.format(member.id), REASON)
    assert response.status_code == 400
    assert "not on for this member" in response.get_data(as_text=True)
