"""The member's own account: a new password keeps this session and ends the others; a new
email address takes effect only through the link mailed to it; times follow the chosen zone."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from community.core.clock import utcnow
from community.extensions import db
from community.members.account_models import EmailChangeToken
from tests import factories

NEW_PASSWORD = "a brand new passphrase 42"
LINK = re.compile(r"https?://\S+/settings/account/email/\S+")


def signed_in(client) -> bool:
    return client.get("/notifications").status_code == 200


def second_device(app, member):
    other = app.test_client()
    other.sign_in(member.email)
    return other


# --- password ---------------------------------------------------------------------------------


def test_a_new_password_keeps_this_session_and_ends_the_others(app, as_member):
    client, member = as_member()
    other = second_device(app, member)

    response = client.submit(
        "/settings/account/password",
        {
            "current_password": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(other)
    fresh = app.test_client()
    assert (
        fresh.submit("/login", {"email": member.email, "password": NEW_PASSWORD}).status_code == 302
    )
    old = app.test_client().submit(
        "/login", {"email": member.email, "password": factories.PASSWORD}
    )
    assert old.status_code == 400


def test_a_wrong_current_password_changes_nothing_and_keeps_what_was_typed(app, as_member):
    client, member = as_member()
    other = second_device(app, member)

    response = client.submit(
        "/settings/account/password",
        {"current_password": "not it at all 123", "password": NEW_PASSWORD,
         "password_confirm": NEW_PASSWORD},
    )  # fmt: skip

    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    assert signed_in(other)
    assert (
        app.test_client()
        .submit("/login", {"email": member.email, "password": factories.PASSWORD})
        .status_code
        == 302
    )


def test_a_weak_new_password_is_refused_like_at_reset(as_member):
    client, _ = as_member()
    response = client.submit(
        "/settings/account/password",
        {"current_password": factories.PASSWORD, "password": "aaaaaaaaaaaa",
         "password_confirm": "aaaaaaaaaaaa"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "too easy to guess" in response.get_data(as_text=True)


def test_password_guesses_from_a_stolen_session_are_rate_limited(as_member):
    client, _ = as_member()
    wrong = {"current_password": "guess number one", "password": NEW_PASSWORD,
             "password_confirm": NEW_PASSWORD}  # fmt: skip
    answers = [client.submit("/settings/account/password", wrong).status_code for _ in range(6)]
    assert answers == [400] * 5 + [429]


# --- email ------------------------------------------------------------------------------------


def ask_for(client, new_email: str, password: str = factories.PASSWORD):
    return client.submit(
        "/settings/account/email", {"new_email": new_email, "email_password": password}
    )


def link_path(outbox, address: str) -> str:
    (message,) = outbox.to(address)
    return urlsplit(LINK.search(outbox.text(message)).group(0)).path


def test_a_new_address_changes_only_when_the_link_mailed_to_it_is_opened(app, as_member, outbox):
    client, member = as_member()
    old_email = member.email

    assert ask_for(client, "New.Address@Example-Corp.com").status_code == 302

    db.session.refresh(member)
    assert member.email == old_email  # nothing before the link
    path = link_path(outbox, "new.address@example-corp.com")  # normalized
    (notice,) = outbox.to(old_email)
    assert "new.address@example-corp.com" in outbox.text(notice)
    assert "/settings/account/email/" not in outbox.text(notice)  # the link goes to the new one

    page = client.get(path)
    assert page.status_code == 200  # a page with a button: a mail scanner changes nothing
    db.session.refresh(member)
    assert member.email == old_email

    assert client.submit(path).status_code == 302
    db.session.refresh(member)
    assert member.email == "new.address@example-corp.com"
    app.test_client().sign_in("new.address@example-corp.com")


def test_an_email_change_link_works_once(as_member, outbox):
    client, _member = as_member()
    ask_for(client, "once@example-corp.com")
    path = link_path(outbox, "once@example-corp.com")
    assert client.submit(path).status_code == 302

    again = client.submit(path)

    assert again.status_code == 400
    assert "not valid any more" in again.get_data(as_text=True)


def test_an_email_change_link_expires_after_a_day(as_member, outbox):
    client, member = as_member()
    ask_for(client, "late@example-corp.com")
    path = link_path(outbox, "late@example-corp.com")
    token = db.session.scalars(select(EmailChangeToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    assert client.submit(path).status_code == 400
    db.session.refresh(member)
    assert member.email != "late@example-corp.com"


def test_only_the_member_who_asked_can_use_the_link(app, as_member, outbox):
    client, _ = as_member()
    ask_for(client, "mine@example-corp.com")
    path = link_path(outbox, "mine@example-corp.com")
    stranger, _ = as_member()
    assert stranger.submit(path).status_code == 404


def test_an_address_in_use_is_refused_and_nothing_is_sent(as_member, outbox):
    client, _member = as_member()
    taken = factories.make_member(email="taken@example-corp.com")

    response = ask_for(client, "TAKEN@example-corp.com")

    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "in use by another member account" in body
    assert 'value="TAKEN@example-corp.com"' in body  # what was typed is kept
    assert outbox.messages == []
    db.session.refresh(taken)
    assert taken.email == "taken@example-corp.com"


def test_an_email_change_needs_the_current_password(as_member, outbox):
    client, _ = as_member()
    response = ask_for(client, "elsewhere@example-corp.com", password="not my password 1")
    assert response.status_code == 400
    assert outbox.messages == []


def test_email_changes_are_rate_limited(as_member):
    client, _ = as_member()
    answers = [ask_for(client, f"n{i}@example-corp.com").status_code for i in range(6)]
    assert answers == [302] * 5 + [429]


# --- time zone --------------------------------------------------------------------------------


def test_a_thread_time_shows_in_the_zone_the_member_chose(as_member):
    client, member = as_member()
    community = factories.make_community()
    thread = factories.start_thread(member, community, "Board reporting", "How often?")

    assert (
        client.submit("/settings/account/time-zone", {"time_zone": "Asia/Tokyo"}).status_code == 302
    )

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "JST" in page
    assert "data-when" not in page  # the browser script must not override the choice


def test_without_a_chosen_zone_the_browser_may_rewrite_times(as_member):
    client, member = as_member()
    community = factories.make_community()
    thread = factories.start_thread(member, community, "Board reporting", "How often?")
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "data-when" in page and "UTC" in page


def test_an_unknown_zone_is_a_form_error(as_member):
    client, member = as_member()
    response = client.submit("/settings/account/time-zone", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    db.session.refresh(member)
    assert member.time_zone is None


def test_the_account_page_offers_zones_grouped_by_region(as_member):
    client, _ = as_member()
    page = client.get("/settings/account").get_data(as_text=True)
    assert '<optgroup label="Asia">' in page
    assert '<option selected value="UTC">' in page
    assert 'data-detect-zone="true"' in page
    assert "js/timezone.js" in page


def test_an_email_shows_times_in_the_recipients_zone_not_the_senders(as_member, outbox):
    moderator_client, _ = as_member("moderator")
    moderator_client.submit("/settings/account/time-zone", {"time_zone": "Asia/Tokyo"})
    member = factories.make_member()
    member.time_zone = "America/New_York"
    db.session.commit()

    moderator_client.submit(
        f"/moderation/members/{member.id}/suspend",
        {"reason": "spam", "until": "2031-01-15T12:00", "message": ""},
    )

    (mail,) = outbox.to(member.email)
    assert "15 January 2031 07:00 EST" in outbox.text(mail)
    assert "JST" not in outbox.text(mail)
