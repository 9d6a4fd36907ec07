"""Moderators: the review queue, decisions on requests, and powers over members."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.core.clock import utcnow
from community.extensions import db
from community.members.models import Member
from community.membership.models import Invitation, MembershipRequest
from tests import factories
from tests.conftest import Outbox


def _request(**overrides: str) -> MembershipRequest:
    request = factories.make_request(**overrides).request
    assert request is not None
    return request


def _reload(model, object_id: int):
    db.session.expire_all()
    return db.session.get(model, object_id)


def _audit(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _later(**delta: int) -> str:
    return (utcnow() + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


# The review queue ------------------------------------------------------------------------------


def test_queue_is_empty_with_a_clear_message(as_member):
    client, _ = as_member("moderator")
    page = client.get("/moderation/requests")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "The queue is empty" in text
    assert "0 waiting" in text


def test_queue_lists_pending_requests_oldest_first_with_their_verdict(as_member, outbox):
    client, _ = as_member("moderator")
    first = _request(name="Ada First", level="c_suite")
    second = _request(name="Bob Second", level="manager")
    third = _request(name="Cy Third", level="vp")
    decided = _request(name="Dee Decided")
    client.submit(f"/moderation/requests/{decided.id}/approve")

    page = client.get("/moderation/requests").get_data(as_text=True)
    assert "3 waiting" in page
    assert "Dee Decided" not in page
    positions = [page.index(r.name) for r in (first, second, third)]
    assert positions == sorted(positions)

    items = re.findall(r'<li class="card request">(.*?)</li>', page, re.S)
    assert len(items) == 3
    assert "Meets policy v1" in items[0]
    assert "Outside policy v1" in items[1]
    assert "Manager is not among them" in items[1]
    assert "Meets policy v1" in items[2]


def test_review_page_shows_the_request_and_both_decisions(as_member):
    client, _ = as_member("moderator")
    request = _request(name="Ada Lovelace", company="Analytical Engines")
    page = client.get(f"/moderation/requests/{request.id}").get_data(as_text=True)
    assert "Ada Lovelace" in page
    assert "Analytical Engines" in page
    assert "Approve and invite" in page
    assert "Decline" in page


# Who may moderate -------------------------------------------------------------------------------

MODERATION_PAGES = ["/moderation/", "/moderation/requests", "/moderation/members"]
ADMIN_PAGES = ["/admin/", "/admin/policy", "/admin/tiers", "/admin/audit", "/admin/audit.csv"]
# Ids are not reused between rolled-back tests on PostgreSQL; this one never exists.
NO_SUCH_ID = 2**31 - 1


@pytest.mark.parametrize("role", ["member", "editor"])
def test_members_without_the_role_are_refused_every_page_and_action(as_member, outbox, role):
    client, _ = as_member(role)
    target = factories.make_member()
    request = _request()
    pages = [
        *MODERATION_PAGES,
        f"/moderation/requests/{request.id}",
        f"/moderation/members/{target.id}",
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
    for url in ADMIN_PAGES:  # the owners' console does not exist for anyone else
        assert client.get(url).status_code == 404, url

    actions = {
        f"/moderation/requests/{request.id}/approve": {"override_reason": "because"},
        f"/moderation/requests/{request.id}/decline": {"category": "level"},
        f"/moderation/members/{target.id}/revoke": {"reason": "spam"},
        f"/moderation/members/{target.id}/suspend": {"reason": "spam", "until": _later(days=3)},
        f"/moderation/members/{target.id}/reinstate": {"reason": "sorry"},
        "/admin/policy": {"action": "apply", "base_version": "1", "admitted_levels": "c_suite"},
        "/admin/tiers/new": {"new-slug": "gold", "new-name": "Gold", "new-rank": "99"},
    }
    for url, data in actions.items():
        response = client.submit(url, data)
        if url.startswith("/admin/"):
            assert response.status_code == 404, url
            continue
        assert response.status_code == 403, url
        assert "Your role does not give access" in response.get_data(as_text=True)

    assert _reload(MembershipRequest, request.id).status == "pending"
    assert _reload(Member, target.id).status == "active"
    assert db.session.scalars(select(AuditEntry)).all() == []
    assert len(outbox.messages) == 1  # only the applicant's acknowledgement


def test_visitors_are_sent_to_sign_in(client):
    for url in [*MODERATION_PAGES, *ADMIN_PAGES]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


# Approving ---------------------------------------------------------------------------------------


def test_approving_sends_an_invitation_and_records_it(as_member, outbox):
    client, moderator = as_member("moderator")
    request = _request(name="Ada Lovelace", level="vp")
    outbox.clear()

    response = client.submit(f"/moderation/requests/{request.id}/approve")
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation/requests"
    assert "Approved" in client.get("/moderation/requests").get_data(as_text=True)

    assert _reload(MembershipRequest, request.id).status == "approved"
    [mail] = outbox.to(request.email)
    link = re.search(r"https?://\S+/invite/(\S+)", Outbox.text(mail))
    assert link, Outbox.text(mail)
    assert client.get(f"/invite/{link.group(1)}").status_code == 200
    invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.tier.slug == "executive"

    [entry] = _audit("request.approved")
    assert entry.actor_id == moderator.id
    assert entry.target_id == request.id
    assert entry.policy_version == 1
    assert request.email in entry.target_label


def test_a_moderator_cannot_approve_a_request_outside_the_policy(as_member, outbox):
    client, _ = as_member("moderator")
    request = _request(level="manager")
    outbox.clear()

    response = client.submit(
        f"/moderation/requests/{request.id}/approve", {"override_reason": "I know her"}
    )
    assert response.status_code == 403
    assert "only an owner can approve it" in response.get_data(as_text=True)
    assert _reload(MembershipRequest, request.id).status == "pending"
    assert outbox.messages == []
    assert db.session.scalars(select(Invitation)).all() == []


def test_an_owner_must_give_a_reason_to_approve_outside_the_policy(as_member, outbox):
    client, _ = as_member("owner")
    request = _request(level="manager")
    outbox.clear()

    response = client.submit(f"/moderation/requests/{request.id}/approve")
    assert response.status_code == 400
    assert "needs a written override reason" in response.get_data(as_text=True)
    assert _reload(MembershipRequest, request.id).status == "pending"
    assert outbox.messages == []


def test_an_owner_override_with_a_reason_is_approved_and_shown_in_the_audit_log(as_member, outbox):
    client, owner = as_member("owner")
    request = _request(level="manager", name="Grace Hopper")
    outbox.clear()

    reason = "Runs social strategy for the whole group despite the title."
    response = client.submit(
        f"/moderation/requests/{request.id}/approve", {"override_reason": reason}
    )
    assert response.status_code == 302
    saved = _reload(MembershipRequest, request.id)
    assert saved.status == "approved"
    assert saved.override_reason == reason
    assert len(outbox.to(request.email)) == 1
    # Outside the policy, the lowest tier is given.
    assert db.session.scalars(select(Invitation)).one().tier.slug == "strategist"

    log = client.get("/admin/audit?action=request.approved_override").get_data(as_text=True)
    assert "request.approved_override" in log
    assert reason in log
    assert "Grace Hopper" in log
    [entry] = _audit("request.approved_override")
    assert entry.actor_id == owner.id
    assert entry.reason == reason
    assert "Manager is not among them" in entry.details["failed_rule"]


# Declining ---------------------------------------------------------------------------------------


def test_declining_emails_a_courteous_reason_and_records_it(as_member, outbox):
    client, moderator = as_member("moderator")
    request = _request(name="Sam Seller", level="c_suite")
    outbox.clear()

    response = client.submit(
        f"/moderation/requests/{request.id}/decline",
        {"category": "vendor", "message": "We are a peer community, not a sales channel."},
    )
    assert response.status_code == 302
    saved = _reload(MembershipRequest, request.id)
    assert saved.status == "declined"
    assert saved.decline_category == "vendor"

    [mail] = outbox.to(request.email)
    body = Outbox.text(mail)
    assert "Sam Seller" in body
    assert "Vendor or consultant seeking sales contact" in body
    assert "We are a peer community, not a sales channel." in body

    [entry] = _audit("request.declined")
    assert entry.actor_id == moderator.id
    assert entry.reason.startswith("Vendor or consultant seeking sales contact.")
    assert "not a sales channel" in entry.reason


@pytest.mark.parametrize("category", ["", "rude", "other"])
def test_declining_needs_a_known_reason(as_member, outbox, category):
    client, _ = as_member("moderator")
    request = _request()
    outbox.clear()
    response = client.submit(f"/moderation/requests/{request.id}/decline", {"category": category})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error"' in page
    assert _reload(MembershipRequest, request.id).status == "pending"
    assert outbox.messages == []


def test_deciding_a_decided_request_again_says_so(as_member, outbox):
    client, _ = as_member("moderator")
    request = _request()
    assert client.submit(f"/moderation/requests/{request.id}/approve").status_code == 302
    outbox.clear()

    again = client.submit(f"/moderation/requests/{request.id}/approve")
    assert again.status_code == 400
    assert "This request was already approved." in again.get_data(as_text=True)
    decline = client.submit(f"/moderation/requests/{request.id}/decline", {"category": "level"})
    assert decline.status_code == 400
    assert "This request was already approved." in decline.get_data(as_text=True)
    assert _reload(MembershipRequest, request.id).status == "approved"
    assert outbox.messages == []
    assert len(db.session.scalars(select(Invitation)).all()) == 1


def test_unknown_request_is_not_found(as_member):
    client, _ = as_member("moderator")
    assert client.get(f"/moderation/requests/{NO_SUCH_ID}").status_code == 404
    assert client.submit(f"/moderation/requests/{NO_SUCH_ID}/approve").status_code == 404
    decline = client.submit(f"/moderation/requests/{NO_SUCH_ID}/decline", {"category": "level"})
    assert decline.status_code == 404


def test_a_decision_without_the_csrf_token_changes_nothing(as_member, outbox):
    client, _ = as_member("moderator")
    request = _request()
    outbox.clear()
    approve = client.post(f"/moderation/requests/{request.id}/approve", data={})
    assert approve.status_code == 400
    assert "Form expired" in approve.get_data(as_text=True)
    decline = client.post(f"/moderation/requests/{request.id}/decline", data={"category": "level"})
    assert decline.status_code == 400
    assert _reload(MembershipRequest, request.id).status == "pending"
    assert outbox.messages == []
    assert db.session.scalars(select(AuditEntry)).all() == []


# Members -----------------------------------------------------------------------------------------


def test_member_list_filters_by_tier_level_status_and_search(as_member):
    client, _ = as_member("moderator", name="Mo Derator")
    factories.make_member(tier_slug="executive", name="Vera Vp")
    factories.make_member(tier_slug="strategist", name="Dora Director")
    factories.make_member(tier_slug="council", level="evp", name="Evan Evp")
    factories.make_member(name="Sue Suspended", status="suspended", email="sue@acme.org")

    def names(query: str) -> set[str]:
        page = client.get(f"/moderation/members{query}")
        assert page.status_code == 200
        return set(re.findall(r'<a href="/moderation/members/\d+">([^<]+)</a>', page.text))

    everyone = {"Mo Derator", "Vera Vp", "Dora Director", "Evan Evp", "Sue Suspended"}
    assert names("") == everyone
    assert names("?tier=executive") == {"Vera Vp"}
    assert names("?tier=council") == {"Mo Derator", "Evan Evp", "Sue Suspended"}
    assert names("?level=evp") == {"Evan Evp"}
    assert names("?status=suspended") == {"Sue Suspended"}
    assert names("?q=dora") == {"Dora Director"}
    assert names("?q=ACME.org") == {"Sue Suspended"}
    assert names("?tier=council&level=c_suite&status=active") == {"Mo Derator"}
    page = client.get("/moderation/members?q=nobody-like-this").get_data(as_text=True)
    assert "No members match these filters." in page


def test_member_page_offers_actions_only_where_the_moderator_has_power(as_member):
    client, _ = as_member("moderator")
    member = factories.make_member(name="Pat Plain")
    page = client.get(f"/moderation/members/{member.id}").get_data(as_text=True)
    assert "Pat Plain" in page
    assert "Revoke membership" in page
    assert "Suspend" in page

    owner = factories.make_member("owner")
    page = client.get(f"/moderation/members/{owner.id}").get_data(as_text=True)
    assert "Your role gives no powers over this member." in page
    assert "Revoke membership" not in page
    assert client.get(f"/moderation/members/{NO_SUCH_ID}").status_code == 404


def _signed_in_target(app, **kwargs) -> tuple:
    member = factories.make_member(**kwargs)
    member_client = app.test_client()
    member_client.sign_in(member.email)
    assert member_client.get("/nominate").status_code == 200
    return member_client, member


def _is_signed_out(member_client) -> bool:
    response = member_client.get("/nominate")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_revoking_signs_the_member_out_emails_and_audits(app, as_member, outbox):
    client, moderator = as_member("moderator")
    member_client, member = _signed_in_target(app)

    response = client.submit(
        f"/moderation/members/{member.id}/revoke",
        {"reason": "Repeated sales pitches", "message": "We warned you twice."},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/moderation/members/{member.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "revoked" in page
    assert "Repeated sales pitches" in page

    assert _is_signed_out(member_client)
    assert _reload(Member, member.id).status == "revoked"
    refused = member_client.submit("/login", {"email": member.email, "password": "x" * 3})
    assert refused.status_code != 302
    [mail] = outbox.to(member.email)
    assert "We warned you twice." in Outbox.text(mail)
    [entry] = _audit("member.revoked")
    assert entry.actor_id == moderator.id
    assert entry.target_id == member.id
    assert entry.reason == "Repeated sales pitches"


def test_suspending_until_a_future_time_then_reinstating(app, as_member, outbox):
    client, _ = as_member("moderator")
    member_client, member = _signed_in_target(app)

    until = _later(days=7)
    response = client.submit(
        f"/moderation/members/{member.id}/suspend",
        {"reason": "Heated thread", "until": until, "message": "Take a week."},
    )
    assert response.status_code == 302
    assert _is_signed_out(member_client)
    saved = _reload(Member, member.id)
    assert saved.status == "suspended"
    assert saved.suspended_until.strftime("%Y-%m-%dT%H:%M") == until
    [mail] = outbox.to(member.email)
    assert "Take a week." in Outbox.text(mail)
    [entry] = _audit("member.suspended")
    assert entry.reason == "Heated thread"
    assert entry.details["until"].startswith(until)

    response = client.submit(f"/moderation/members/{member.id}/reinstate", {"reason": "Cooled"})
    assert response.status_code == 302
    assert _reload(Member, member.id).status == "active"
    assert len(outbox.to(member.email)) == 2
    assert _audit("member.reinstated")[0].reason == "Cooled"
    member_client.sign_in(member.email)
    assert member_client.get("/nominate").status_code == 200


@pytest.mark.parametrize(
    ("action", "data", "error"),
    [
        ("revoke", {"reason": ""}, "This field is required."),
        ("suspend", {"reason": "", "until": "2999-01-01T10:00"}, "This field is required."),
        ("suspend", {"reason": "Spam", "until": ""}, "This field is required."),
        ("suspend", {"reason": "Spam", "until": "2001-01-01T10:00"}, "must end in the future"),
        ("suspend", {"reason": "Spam", "until": "next tuesday"}, "Not a valid datetime value."),
    ],
)
def test_member_actions_need_a_reason_and_a_future_end(as_member, outbox, action, data, error):
    client, _ = as_member("moderator")
    member = factories.make_member()
    response = client.submit(f"/moderation/members/{member.id}/{action}", data)
    assert response.status_code == 400
    assert error in response.get_data(as_text=True)
    assert _reload(Member, member.id).status == "active"
    assert outbox.messages == []
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_reinstating_needs_a_reason(as_member):
    client, _ = as_member("moderator")
    member = factories.make_member(status="revoked")
    response = client.submit(f"/moderation/members/{member.id}/reinstate", {"reason": " "})
    assert response.status_code == 400
    assert _reload(Member, member.id).status == "revoked"


@pytest.mark.parametrize("target_role", ["owner", "moderator", "self"])
def test_a_moderator_cannot_act_on_an_owner_a_peer_or_themselves(
    app, as_member, outbox, target_role
):
    client, moderator = as_member("moderator")
    target = moderator if target_role == "self" else factories.make_member(target_role)
    for action, data in [
        ("revoke", {"reason": "power grab"}),
        ("suspend", {"reason": "power grab", "until": _later(days=1)}),
        ("reinstate", {"reason": "power grab"}),
    ]:
        response = client.submit(f"/moderation/members/{target.id}/{action}", data)
        assert response.status_code == 403, action
    assert _reload(Member, target.id).status == "active"
    assert outbox.messages == []
    assert db.session.scalars(select(AuditEntry)).all() == []
    assert client.get("/moderation/requests").status_code == 200  # still signed in


def test_an_owner_can_act_on_a_moderator(as_member, outbox):
    client, _ = as_member("owner")
    moderator = factories.make_member("moderator")
    response = client.submit(f"/moderation/members/{moderator.id}/revoke", {"reason": "Left"})
    assert response.status_code == 302
    assert _reload(Member, moderator.id).status == "revoked"
