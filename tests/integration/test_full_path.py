"""The whole way in and out: apply, approval, invitation, membership, revocation."""

from __future__ import annotations

import re

from tests import factories

PASSWORD = "my own long passphrase"


def test_a_visitor_applies_is_invited_joins_and_is_revoked(app, as_member, outbox):
    # A visitor asks to join.
    visitor = app.test_client()
    data = factories.form_data(
        factories.application(name="Morgan Vale", email="morgan.vale@bigco.com", level="evp")
    )
    received = visitor.submit("/apply", data)
    assert received.status_code == 200
    assert "We have your request" in received.get_data(as_text=True)
    assert len(outbox.to("morgan.vale@bigco.com")) == 1

    # A moderator finds it in the queue and approves it.
    moderator, _ = as_member("moderator")
    queue = moderator.get("/moderation/requests").get_data(as_text=True)
    match = re.search(r'href="/moderation/requests/(\d+)">Morgan Vale</a>', queue)
    assert match, queue
    approved = moderator.submit(f"/moderation/requests/{match.group(1)}/approve", {})
    assert approved.status_code == 302
    assert "Morgan Vale" not in moderator.get("/moderation/requests").get_data(as_text=True)

    # The invitation arrives by email with a link to accept it.
    [invitation] = [
        m
        for m in outbox.to("morgan.vale@bigco.com")
        if m["Subject"] == "Your invitation to Council"
    ]
    assert "You are invited to the Council tier." in outbox.text(invitation)
    link = re.search(r"https?://[^/\s]+(/invite/[A-Za-z0-9_\-]+)", outbox.text(invitation))
    assert link, outbox.text(invitation)

    # The applicant opens it in their own browser, accepts, and is signed in.
    browser = app.test_client()
    accepted = browser.submit(
        link.group(1),
        {
            "name": "Morgan Vale",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "accept_guidelines": "y",
        },
    )
    assert accepted.status_code == 302
    home = browser.get("/").get_data(as_text=True)
    assert "Welcome, Morgan Vale" in home
    assert browser.get("/nominate").status_code == 200

    # The moderator finds the new member and revokes the membership.
    listing = moderator.get("/moderation/members?q=morgan.vale").get_data(as_text=True)
    member_link = re.search(r'href="/moderation/members/(\d+)">Morgan Vale</a>', listing)
    assert member_link, listing
    revoked = moderator.submit(
        f"/moderation/members/{member_link.group(1)}/revoke",
        {"reason": "Shared members' posts outside the council", "message": "We are sorry."},
    )
    assert revoked.status_code == 302

    # The member's open browser is signed out at once.
    landing = browser.get("/").get_data(as_text=True)
    assert "Welcome, Morgan Vale" not in landing
    assert "Request membership" in landing
    wall = browser.get("/nominate")
    assert wall.status_code == 302
    assert wall.headers["Location"] == "/login?next=%2Fnominate"

    # Signing in again is refused, and says why once the password is right.
    again = browser.submit("/login", {"email": "morgan.vale@bigco.com", "password": PASSWORD})
    assert again.status_code == 400
    assert "Your membership has been revoked." in again.get_data(as_text=True)
    assert browser.get("/nominate").status_code == 302

    # The member was told by email, with the reason and the moderator's message.
    [notice] = [
        m
        for m in outbox.to("morgan.vale@bigco.com")
        if m["Subject"] == "Your Council membership has ended"
    ]
    text = outbox.text(notice)
    assert "Reason: Shared members' posts outside the council" in text
    assert "We are sorry." in text
