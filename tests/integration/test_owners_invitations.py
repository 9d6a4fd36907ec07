"""The owners' console, invitations: every invitation with its state, filters, pages with a
constant query count; resend (a new link, the old one dead at once) and revoke (the link
answers like an unknown one); owners only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.membership.invitations import note_expired_invitations
from community.membership.models import Invitation
from community.membership.services import accept_invitation, approve_request
from community.metrics.events import get_buffer
from tests import factories
from tests.integration.test_invitations import NEW_PASSWORD, acceptance, invitation_link
from tests.integration.test_query_counts import queries_for

UNKNOWN_LINK = "This invitation link is not valid"


def invite(email: str) -> tuple[Invitation, str]:
    moderator = factories.make_member("moderator", name="Mo Moderator")
    request = factories.make_request(level="vp", email=email, name=f"Guest {email}").request
    return approve_request(moderator, request.id)


@pytest.fixture
def owner(as_member):
    return as_member("owner")[0]


@pytest.fixture
def four_states(app):
    """One invitation in each state."""
    pending, _ = invite("pending@bigco.com")
    accepted, token = invite("accepted@bigco.com")
    accept_invitation(token, "Ada Accepted", NEW_PASSWORD, accepted_guidelines=True)
    expired, _ = invite("expired@bigco.com")
    expired.expires_at = utcnow() - timedelta(days=1)
    revoked, _ = invite("revoked@bigco.com")
    revoked.revoked_at = utcnow()
    commit()
    return {"pending": pending, "accepted": accepted, "expired": expired, "revoked": revoked}


def test_the_list_shows_each_invitation_with_its_state(owner, four_states):
    page = owner.get("/admin/invitations").get_data(as_text=True)
    for state in ("pending", "accepted", "expired", "revoked"):
        assert f"{state}@bigco.com" in page
        assert f'<span class="state-{state}">{state.capitalize()}</span>' in page
    assert "Mo Moderator" in page  # who approved it


@pytest.mark.parametrize("state", ["pending", "accepted", "expired", "revoked"])
def test_the_state_filter_shows_only_that_state(owner, four_states, state):
    page = owner.get(f"/admin/invitations?state={state}").get_data(as_text=True)
    shown = [other for other in four_states if f"{other}@bigco.com" in page]
    assert shown == [state]


def test_the_email_filter_and_a_nonsense_state(owner, four_states):
    page = owner.get("/admin/invitations?q=EXPIRED").get_data(as_text=True)
    assert "expired@bigco.com" in page and "pending@bigco.com" not in page
    response = owner.get("/admin/invitations?state=bogus&page=abc")
    assert response.status_code == 200 and "pending@bigco.com" in response.get_data(as_text=True)


def test_the_list_query_count_does_not_grow_with_invitations(as_member):
    client, _ = as_member("owner")
    invite("first@bigco.com")
    small = queries_for(client, "/admin/invitations")
    factories.add_invitations(60)
    assert queries_for(client, "/admin/invitations") == small
    assert "Next" in client.get("/admin/invitations").get_data(as_text=True)  # 61 rows: paged


def test_resend_mails_a_new_link_and_kills_the_old_one_at_once(owner, client, outbox, app):
    invitation, old_token = invite("dana@bigco.com")
    outbox.clear()
    get_buffer().pending.clear()
    response = owner.submit(f"/admin/invitations/{invitation.id}/resend?state=pending")
    assert response.status_code == 302 and "state=pending" in response.headers["Location"]
    new_link = invitation_link(outbox, "dana@bigco.com")
    assert new_link != f"/invite/{old_token}"
    old_page = client.get(f"/invite/{old_token}")
    assert UNKNOWN_LINK in old_page.get_data(as_text=True)
    assert client.submit(f"/invite/{old_token}", acceptance()).status_code != 302
    assert client.get(new_link).status_code == 200
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "invitation.resent"))
    assert entry.target_id == invitation.id
    sent = [a for a in get_buffer().pending if (a.action, a.object_type) == ("send", "invitation")]
    assert [a.object_id for a in sent] == [invitation.id]


def test_resending_an_expired_invitation_gives_it_a_new_term(owner, four_states, outbox):
    expired = four_states["expired"]
    owner.submit(f"/admin/invitations/{expired.id}/resend")
    db.session.expire_all()
    assert db.session.get(Invitation, expired.id).expires_at > utcnow() + timedelta(days=13)
    invitations = [m for m in outbox.to("expired@bigco.com") if "invitation" in m["Subject"]]
    assert len(invitations) == 2  # the first, and the new one


def test_revoke_makes_the_link_answer_like_an_unknown_link(owner, client):
    invitation, token = invite("dana@bigco.com")
    unknown = client.get("/invite/no-such-token-at-all").get_data(as_text=True)
    response = owner.submit(f"/admin/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    revoked = client.get(f"/invite/{token}").get_data(as_text=True)
    assert UNKNOWN_LINK in revoked
    assert revoked.replace(token, "no-such-token-at-all") == unknown
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "invitation.revoked")
    )
    assert entry.target_label == "Guest dana@bigco.com <dana@bigco.com>"


def test_accepted_and_revoked_invitations_cannot_be_resent_or_revoked(owner, four_states):
    for state in ("accepted", "revoked"):
        invitation = four_states[state]
        for action in ("resend", "revoke"):
            response = owner.submit(f"/admin/invitations/{invitation.id}/{action}")
            assert response.status_code == 302
            with owner.session_transaction() as session:
                [(category, message)] = session.pop("_flashes")
            assert category == "error" and "invitation" in message


@pytest.mark.parametrize("role", ["member", "moderator", "editor"])
def test_everyone_but_owners_gets_404(as_member, four_states, role):
    client, _ = as_member(role)
    pending = four_states["pending"]
    assert client.get("/admin/invitations").status_code == 404
    assert client.submit(f"/admin/invitations/{pending.id}/revoke").status_code == 404
    assert client.submit(f"/admin/invitations/{pending.id}/resend").status_code == 404
    db.session.expire_all()
    assert db.session.get(Invitation, pending.id).revoked_at is None


def test_an_unknown_invitation_answers_404(owner):
    assert owner.submit("/admin/invitations/987654/resend").status_code == 404
    assert owner.submit("/admin/invitations/987654/revoke").status_code == 404


def test_an_expired_invitation_is_counted_once_and_again_after_a_resend(owner, four_states):
    """The funnel's "expired" events: the job counts each expiry once; a resent invitation
    that lapses again counts again. Accepted, revoked and pending ones are never counted."""
    get_buffer().pending.clear()
    expired = four_states["expired"]

    def expiries() -> list[int]:
        return [
            a.object_id
            for a in get_buffer().pending
            if (a.action, a.object_type) == ("expire", "invitation")
        ]

    assert note_expired_invitations() == 1
    assert note_expired_invitations() == 0
    assert expiries() == [expired.id]
    owner.submit(f"/admin/invitations/{expired.id}/resend")
    db.session.expire_all()
    again = db.session.get(Invitation, expired.id)
    again.expires_at = utcnow() - timedelta(minutes=1)
    commit()
    assert note_expired_invitations() == 1
    assert expiries() == [expired.id, expired.id]
