"""Signing in and out, the sign-in wall, and resetting a forgotten password."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from community.core import PUBLIC_ENDPOINTS
from community.core.clock import utcnow
from community.extensions import db
from community.members.models import PasswordResetToken
from tests import factories

CSRF_VALUE = re.compile(r'name="csrf_token" type="hidden" value="[^"]+"')
NEW_PASSWORD = "a fresh and private passphrase"


def without_csrf(page) -> str:
    """The page body with the per-session CSRF token blanked out."""
    return CSRF_VALUE.sub('name="csrf_token" type="hidden" value=""', page.get_data(as_text=True))


def signed_in_as(client, member) -> bool:
    return f"Welcome, {member.name}" in client.get("/").get_data(as_text=True)


def is_signed_out(client) -> bool:
    home = client.get("/")
    protected = client.get("/nominate")
    return (
        "Request membership" in home.get_data(as_text=True)
        and "Welcome," not in home.get_data(as_text=True)
        and protected.status_code == 302
        and protected.headers["Location"].startswith("/login")
    )


# --- signing in --------------------------------------------------------------------------------


def test_the_right_password_signs_in_and_redirects_home(client):
    member = factories.make_member(name="Ada Lovelace")

    response = client.submit("/login", {"email": member.email, "password": factories.PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in_as(client, member)


def test_the_email_is_matched_whatever_its_case(client):
    member = factories.make_member(email="mixed@example-corp.com")

    response = client.submit(
        "/login", {"email": "  MIXED@Example-Corp.com ", "password": factories.PASSWORD}
    )

    assert response.status_code == 302
    assert signed_in_as(client, member)


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(app):
    member = factories.make_member()
    one, other = app.test_client(), app.test_client()

    wrong_password = one.submit("/login", {"email": member.email, "password": "not the password"})
    unknown_email = other.submit(
        "/login", {"email": "nobody@example-corp.com", "password": "not the password"}
    )

    assert wrong_password.status_code == unknown_email.status_code == 400
    assert "That email and password do not match a member account." in without_csrf(wrong_password)
    # Only the typed address differs between the two pages; put it back and they are identical.
    assert without_csrf(wrong_password) == without_csrf(unknown_email).replace(
        "nobody@example-corp.com", member.email
    )
    assert not signed_in_as(one, member)


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example/x", "/\\evil.example", "http:/evil.example"]
)
def test_next_never_leads_off_site(client, target):
    member = factories.make_member()

    response = client.submit(
        f"/login?next={quote(target)}", {"email": member.email, "password": factories.PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_within_the_site_is_followed(client):
    member = factories.make_member()
    wall = client.get("/nominate")
    assert wall.headers["Location"] == "/login?next=%2Fnominate"

    response = client.submit(
        wall.headers["Location"], {"email": member.email, "password": factories.PASSWORD}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/nominate"
    assert client.get("/nominate").status_code == 200


def _fail(client, email: str):
    return client.submit("/login", {"email": email, "password": "wrong password here"})


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.parametrize("known", [True, False], ids=["member", "unknown-email"])
def test_five_failures_slow_down_that_client_for_that_account(app, known):
    member = factories.make_member()
    email = member.email if known else "nobody@example-corp.com"
    client = from_address(app, "203.0.113.7")

    for _ in range(5):
        assert _fail(client, email).status_code == 400

    locked = _fail(client, email)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    text = locked.get_data(as_text=True)
    assert "Too many attempts" in text
    assert "Please wait a few minutes before trying again." in text
    # Even the right password is refused from there while the lock lasts, in any browser.
    same_address = from_address(app, "203.0.113.7")
    right = same_address.submit("/login", {"email": email, "password": factories.PASSWORD})
    assert right.status_code == 429
    if known:
        assert not signed_in_as(same_address, member)
    # Another member is not locked out by someone else's failures.
    bystander = factories.make_member()
    same_address.sign_in(bystander.email)


def test_guesses_from_elsewhere_do_not_lock_the_member_out(app):
    member = factories.make_member()
    attacker = from_address(app, "198.51.100.66")

    answers = [_fail(attacker, member.email).status_code for _ in range(10)]

    assert answers == [400] * 5 + [429] * 5
    at_home = from_address(app, "192.0.2.10")
    at_home.sign_in(member.email)
    assert signed_in_as(at_home, member)
    still_locked = attacker.submit(
        "/login", {"email": member.email, "password": factories.PASSWORD}
    )
    assert still_locked.status_code == 429
    assert "Retry-After" in still_locked.headers


def test_a_revoked_member_is_told_only_after_the_right_password(client):
    member = factories.make_member(status="revoked")

    wrong = client.submit("/login", {"email": member.email, "password": "not the password"})
    assert wrong.status_code == 400
    assert "revoked" not in wrong.get_data(as_text=True)

    right = client.submit("/login", {"email": member.email, "password": factories.PASSWORD})
    assert right.status_code == 400
    assert "Your membership has been revoked." in right.get_data(as_text=True)
    assert is_signed_out(client)


def test_a_suspended_member_cannot_sign_in_and_is_told_until_when(client):
    member = factories.make_member(status="suspended")
    member.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()

    wrong = client.submit("/login", {"email": member.email, "password": "not the password"})
    assert "suspended" not in wrong.get_data(as_text=True)

    right = client.submit("/login", {"email": member.email, "password": factories.PASSWORD})
    assert right.status_code == 400
    assert "Your membership is suspended until" in right.get_data(as_text=True)
    assert is_signed_out(client)


def test_a_suspension_that_has_run_out_no_longer_blocks(client):
    member = factories.make_member(status="suspended")
    member.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()

    client.sign_in(member.email)

    assert signed_in_as(client, member)


# --- the sign-in wall and signing out --------------------------------------------------------


def _private_urls(app) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        url = rule.build(dict.fromkeys(rule.arguments, 1))[1]
        urls.append(("GET" if "GET" in rule.methods else "POST", url))
    return urls


def test_every_private_page_sends_visitors_to_sign_in(app, client):
    urls = _private_urls(app)
    assert ("GET", "/nominate") in urls
    assert ("POST", "/logout") in urls

    for method, url in urls:
        response = client.get(url) if method == "GET" else client.submit(url, {})
        if url.startswith("/admin/metrics"):  # owners only: to anyone else it does not exist
            assert response.status_code == 404, url
            continue
        assert response.status_code == 302, url
        assert response.headers["Location"] == f"/login?next={quote(url, safe='')}", url


def test_public_pages_open_without_signing_in(client):
    for url in ["/", "/apply", "/login", "/password/forgot"]:
        assert client.get(url).status_code == 200, url


def test_signing_out_ends_the_session(as_member):
    client, member = as_member()
    assert signed_in_as(client, member)

    response = client.submit("/logout", {})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "You are signed out." in client.get("/").get_data(as_text=True)
    assert is_signed_out(client)


def test_signing_out_needs_a_post_from_the_site(as_member):
    client, member = as_member()

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no CSRF token: a forged cross-site post
    assert signed_in_as(client, member)


# --- password reset ----------------------------------------------------------------------------


def reset_link(outbox, email: str) -> str:
    [message] = outbox.to(email)
    assert message["Subject"] == "Reset your Council password"
    match = re.search(r"https?://[^/\s]+(/password/reset/[A-Za-z0-9_\-]+)", outbox.text(message))
    assert match, outbox.text(message)
    return match.group(1)


def test_known_and_unknown_addresses_get_the_same_answer(app, outbox):
    member = factories.make_member()
    one, other = app.test_client(), app.test_client()

    known = one.submit("/password/forgot", {"email": member.email})
    unknown = other.submit("/password/forgot", {"email": "nobody@example-corp.com"})

    assert known.status_code == unknown.status_code == 200
    assert f"If {member.email} belongs to a member account" in known.get_data(as_text=True)
    assert without_csrf(known) == without_csrf(unknown).replace(
        "nobody@example-corp.com", member.email
    )
    assert outbox.to("nobody@example-corp.com") == []
    assert len(outbox.to(member.email)) == 1


def test_the_reset_link_sets_a_new_password_and_signs_out_other_sessions(app, client, outbox):
    member = factories.make_member(name="Grace Hopper")
    laptop = app.test_client()
    laptop.sign_in(member.email)
    assert signed_in_as(laptop, member)
    client.submit("/password/forgot", {"email": member.email})
    link = reset_link(outbox, member.email)

    form = client.get(link)
    assert form.status_code == 200
    response = client.submit(link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})

    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Welcome, Grace Hopper" in home
    assert "Your password is changed and your other sessions are signed out." in home
    assert is_signed_out(laptop)
    old = app.test_client().submit(
        "/login", {"email": member.email, "password": factories.PASSWORD}
    )
    assert old.status_code == 400
    app.test_client().sign_in(member.email, NEW_PASSWORD)


def assert_link_refused(app, link: str, email: str) -> None:
    """The link neither opens nor sets a password, and the new password still signs in."""
    stranger = app.test_client()
    page = stranger.get(link)
    assert page.status_code == 400
    assert "This reset link is not valid any more." in page.get_data(as_text=True)
    other = {"password": "yet another passphrase", "password_confirm": "yet another passphrase"}
    assert stranger.submit(link, other).status_code == 400
    app.test_client().sign_in(email, NEW_PASSWORD)


def test_a_reset_link_works_once(app, client, outbox):
    member = factories.make_member()
    client.submit("/password/forgot", {"email": member.email})
    link = reset_link(outbox, member.email)
    passwords = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert client.submit(link, passwords).status_code == 302

    assert_link_refused(app, link, member.email)


def test_an_expired_reset_link_is_refused(client, outbox):
    member = factories.make_member()
    client.submit("/password/forgot", {"email": member.email})
    link = reset_link(outbox, member.email)
    reset = db.session.scalars(select(PasswordResetToken)).one()
    reset.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    page = client.get(link)
    assert page.status_code == 400
    assert "This reset link is not valid any more." in page.get_data(as_text=True)
    posted = client.submit(link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert posted.status_code == 400
    assert is_signed_out(client)
    client.sign_in(member.email)  # the old password still works


def test_a_weak_new_password_is_refused_and_the_link_still_works(client, outbox):
    member = factories.make_member()
    client.submit("/password/forgot", {"email": member.email})
    link = reset_link(outbox, member.email)

    page = client.submit(link, {"password": "short", "password_confirm": "short"})
    assert page.status_code == 400
    assert "Field must be between 12 and 128 characters long." in page.get_data(as_text=True)
    mismatch = client.submit(
        link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD + "x"}
    )
    assert mismatch.status_code == 400
    assert "The passwords differ." in mismatch.get_data(as_text=True)

    assert (
        client.submit(
            link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
        ).status_code
        == 302
    )


def test_a_new_password_voids_every_older_reset_link(app, client, outbox):
    member = factories.make_member()
    client.submit("/password/forgot", {"email": member.email})
    first = reset_link(outbox, member.email)
    outbox.clear()
    client.submit("/password/forgot", {"email": member.email})
    second = reset_link(outbox, member.email)
    passwords = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert client.submit(second, passwords).status_code == 302

    assert_link_refused(app, first, member.email)
