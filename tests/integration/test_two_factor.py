"""Two-step sign-in: enrolment, the code step after a correct password, recovery codes, replay,
rate limits, and staff made to enrol when the site requires it."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.extensions import db
from tests import factories
from tests.client import CSRF_PATTERN

SECRET = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
RECOVERY = re.compile(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>")


def csrf_from(client, url: str) -> str:
    return CSRF_PATTERN.search(client.get(url).get_data(as_text=True)).group(1)


def enrol(client) -> tuple[pyotp.TOTP, list[str], str]:
    """Set up two-step sign-in as a member would: the key from the page, a first code."""
    token = csrf_from(client, "/settings/security/two-factor")
    client.post("/settings/security/two-factor/start", data={"csrf_token": token})
    page = client.get("/settings/security/two-factor").get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn here, not by a third party
    totp = pyotp.TOTP(SECRET.search(page).group(1))
    first_code = totp.now()
    response = client.post(
        "/settings/security/two-factor/confirm", data={"csrf_token": token, "code": first_code}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    codes = RECOVERY.findall(response.get_data(as_text=True))
    assert len(codes) == 10
    return totp, codes, first_code


def next_code(totp: pyotp.TOTP) -> str:
    """The code of the next time step: enrolment spent the current one."""
    return totp.at(time.time() + 30)


def password_step(app, member):
    client = app.test_client()
    response = client.submit("/login", {"email": member.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client, response


def code_step(client, code: str):
    return client.submit("/login/code", {"code": code})


def signed_in(client) -> bool:
    return client.get("/notifications").status_code == 200


@pytest.fixture
def enrolled(as_member):
    client, member = as_member()
    return (member, *enrol(client))


def test_enrolment_needs_a_first_code_and_shows_recovery_codes_once(as_member):
    client, member = as_member()
    token = csrf_from(client, "/settings/security/two-factor")
    client.post("/settings/security/two-factor/start", data={"csrf_token": token})
    wrong = client.post(
        "/settings/security/two-factor/confirm", data={"csrf_token": token, "code": "000000"}
    )
    assert wrong.status_code == 400
    db.session.refresh(member)
    assert not member.uses_two_factor

    _, codes, _ = enrol(client)

    db.session.refresh(member)
    assert member.uses_two_factor
    security = client.get("/settings/security").get_data(as_text=True)
    assert "10 recovery codes left" in security
    assert not any(code in client.get("/settings/security/two-factor").get_data(as_text=True)
                   for code in codes)  # fmt: skip
    assert "member.two_factor_enabled" in db.session.scalars(select(AuditEntry.action)).all()


def test_the_secret_is_not_stored_in_clear(enrolled):
    member, totp, _, _ = enrolled
    db.session.refresh(member)
    assert totp.secret not in member.totp_secret


def test_sign_in_asks_for_the_code_after_the_password(app, enrolled):
    member, totp, _, _ = enrolled
    client, response = password_step(app, member)

    assert response.headers["Location"] == "/login/code"
    assert not signed_in(client)  # a password alone opens nothing
    assert code_step(client, next_code(totp)).status_code == 302
    assert signed_in(client)


def test_the_code_step_appears_only_after_a_correct_password(app, enrolled):
    member, _, _, _ = enrolled
    client = app.test_client()
    wrong = client.submit("/login", {"email": member.email, "password": "not the password 1"})
    assert wrong.status_code == 400
    assert client.get("/login/code").headers["Location"] == "/login"


def test_a_code_cannot_be_replayed(app, enrolled):
    member, totp, _, _ = enrolled
    code = next_code(totp)
    first, _ = password_step(app, member)
    assert code_step(first, code).status_code == 302

    second, _ = password_step(app, member)
    replay = code_step(second, code)

    assert replay.status_code == 400
    assert "used already" in replay.get_data(as_text=True)
    assert not signed_in(second)


def test_the_enrolment_code_cannot_sign_in(app, enrolled):
    member, _, _, first_code = enrolled
    client, _ = password_step(app, member)
    assert code_step(client, first_code).status_code == 400


def test_a_recovery_code_works_once(app, enrolled):
    member, _, codes, _ = enrolled
    first, _ = password_step(app, member)
    used = code_step(first, codes[0].upper().replace("-", " "))  # as people type it
    assert used.status_code == 302
    assert signed_in(first)

    second, _ = password_step(app, member)
    assert code_step(second, codes[0]).status_code == 400
    assert not signed_in(second)
    assert "9 recovery codes left" in first.get("/settings/security").get_data(as_text=True)


def test_wrong_codes_are_rate_limited_per_account(app, enrolled):
    member, totp, _, _ = enrolled
    client, _ = password_step(app, member)
    answers = [code_step(client, "123456").status_code for _ in range(5)]
    # From another browser, with the password again: the count follows the account.
    other, _ = password_step(app, member)

    assert answers == [400] * 5
    assert code_step(other, next_code(totp)).status_code == 429
    assert not signed_in(other)


def test_a_password_reset_does_not_skip_the_second_step(app, enrolled, outbox):
    member, totp, _, _ = enrolled
    client = app.test_client()
    client.submit("/password/forgot", {"email": member.email})
    link = re.search(r"http://\S+(/password/reset/\S+)", outbox.text(outbox.to(member.email)[-1]))
    new = "another long passphrase 7"
    response = client.submit(link.group(1), {"password": new, "password_confirm": new})

    assert response.headers["Location"] == "/login/code"
    assert not signed_in(client)
    assert code_step(client, next_code(totp)).status_code == 302


def test_turning_it_off_needs_the_password_and_a_code(app, enrolled):
    member, totp, codes, _ = enrolled
    client, _ = password_step(app, member)
    code_step(client, next_code(totp))
    url = "/settings/security/two-factor/disable"

    no_code = client.submit(url, {"password": factories.PASSWORD, "code": "000000"})
    assert no_code.status_code == 400
    wrong_password = client.submit(url, {"password": "wrong password 12", "code": "000000"})
    assert wrong_password.status_code == 400
    db.session.refresh(member)
    assert member.uses_two_factor

    off = client.submit(url, {"password": factories.PASSWORD, "code": codes[0]})
    assert off.status_code == 302
    db.session.refresh(member)
    assert not member.uses_two_factor
    assert password_step(app, member)[1].headers["Location"] == "/"


@pytest.mark.parametrize("role", ["moderator", "editor", "owner"])
def test_staff_must_enrol_first_when_the_site_requires_it(app, as_member, role):
    app.config["REQUIRE_2FA_FOR_STAFF"] = True
    client, _ = as_member(role)

    for url in ["/", "/notifications", "/settings/account", "/moderation/requests"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/settings/security/two-factor"
    totp, _, _ = enrol(client)

    assert signed_in(client)
    refused = client.post(
        "/settings/security/two-factor/disable",
        data={
            "csrf_token": csrf_from(client, "/settings/account"),
            "password": factories.PASSWORD,
            "code": next_code(totp),
        },
    )
    assert refused.status_code == 400
    assert "requires two-step sign-in" in refused.get_data(as_text=True)


def test_staff_may_still_sign_out_before_enrolling(app, as_member):
    app.config["REQUIRE_2FA_FOR_STAFF"] = True
    client, _ = as_member("moderator")
    token = csrf_from(client, "/settings/security/two-factor")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/notifications").headers["Location"].startswith("/login")


def test_members_are_not_made_to_enrol(app, as_member):
    app.config["REQUIRE_2FA_FOR_STAFF"] = True
    client, _ = as_member("member")
    assert signed_in(client)


def test_staff_are_not_made_to_enrol_when_the_setting_is_off(as_member):
    client, _ = as_member("moderator")
    assert signed_in(client)
