"""Signed-in sessions: signing out ends the session for every copy of its cookies, members see
and sign out their devices, and sockets of an ended session are cut."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.core.clock import utcnow
from community.extensions import db
from community.members.models import MemberSession
from community.notifications import live
from tests import factories
from tests.integration.test_live import connect  # noqa: F401  (the fixture)

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def signed_in(client) -> bool:
    response = client.get("/notifications")
    return response.status_code == 200


def is_sent_to_login(client) -> bool:
    response = client.get("/notifications")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def copy_cookies(source, target, names=("session", "remember_token")) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value, domain=cookie.domain)


def device(app, member, user_agent: str = FIREFOX_ON_WINDOWS, remember: bool = False):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    form = {"email": member.email, "password": factories.PASSWORD}
    if remember:
        form["remember"] = "y"
    assert client.submit("/login", form).status_code == 302
    return client


def records(member) -> list[MemberSession]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(MemberSession).where(MemberSession.member_id == member.id))
    )


# --- signing out ends the session, not just this browser's copy of it ------------------------


def test_a_copied_session_cookie_stops_working_when_its_owner_signs_out(app):
    member = factories.make_member()
    owner = device(app, member)
    thief = app.test_client()
    copy_cookies(owner, thief, names=("session",))
    assert signed_in(thief)

    assert owner.submit("/logout").status_code == 302

    assert is_sent_to_login(owner)
    assert is_sent_to_login(thief)
    assert records(member) == []


def test_a_copied_remember_cookie_alone_stops_working_after_sign_out(app):
    member = factories.make_member()
    owner = device(app, member, remember=True)
    thief = app.test_client()
    copy_cookies(owner, thief, names=("remember_token",))
    assert signed_in(thief)  # restored from the remember-me cookie, into the same session

    owner.submit("/logout")

    fresh_thief = app.test_client()
    copy_cookies(thief, fresh_thief, names=("remember_token",))
    assert is_sent_to_login(fresh_thief)
    assert is_sent_to_login(thief)


def test_keep_me_signed_in_lasts_thirty_days(app):
    member = factories.make_member()
    client = device(app, member, remember=True)

    [record] = records(member)
    assert record.remember
    assert abs(record.expires_at - (utcnow() + timedelta(days=30))) < timedelta(minutes=1)
    cookie = client.get_cookie("remember_token")
    assert cookie.expires is not None
    assert abs(cookie.expires - (utcnow() + timedelta(days=30))) < timedelta(minutes=1)
    # Once the record has expired the cookie lets nobody in, whatever its own expiry says.
    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert is_sent_to_login(client)


def test_last_seen_moves_at_most_every_few_minutes(app):
    member = factories.make_member()
    client = device(app, member)
    [record] = records(member)
    first_seen = record.last_seen_at

    client.get("/notifications")
    assert records(member)[0].last_seen_at == first_seen

    record = records(member)[0]
    record.last_seen_at = utcnow() - timedelta(minutes=6)
    db.session.commit()
    client.get("/notifications")
    assert records(member)[0].last_seen_at > utcnow() - timedelta(minutes=1)


# --- the security page --------------------------------------------------------------------


def test_the_security_page_lists_each_device_and_marks_this_one(app):
    member = factories.make_member()
    laptop = device(app, member, FIREFOX_ON_WINDOWS)
    device(app, member, SAFARI_ON_IPHONE)

    page = laptop.get("/settings/security").get_data(as_text=True)

    assert 'Firefox on Windows <span class="badge">This device</span>' in page
    assert "Safari on iPhone" in page
    assert page.count("127.0.0.1") == 2
    assert "Sign out of all other devices" in page
    assert 'href="/settings/security"' in laptop.get("/settings/notifications").get_data(
        as_text=True
    )


def test_signing_out_one_other_device(app):
    member = factories.make_member()
    laptop = device(app, member, FIREFOX_ON_WINDOWS)
    phone = device(app, member, SAFARI_ON_IPHONE)
    [phone_record] = [r for r in records(member) if r.browser == "Safari on iPhone"]

    response = laptop.submit(f"/settings/security/sessions/{phone_record.id}/end")

    assert response.status_code == 302
    assert "That device is signed out." in laptop.get("/settings/security").get_data(as_text=True)
    assert is_sent_to_login(phone)
    assert signed_in(laptop)


def test_sign_out_of_all_other_devices_keeps_this_one(app):
    member = factories.make_member()
    laptop = device(app, member, FIREFOX_ON_WINDOWS)
    phone = device(app, member, SAFARI_ON_IPHONE, remember=True)
    tablet = device(app, member)

    response = laptop.submit("/settings/security/sign-out-others")

    assert response.status_code == 302
    assert "Signed out of 2 other devices." in laptop.get("/settings/security").get_data(
        as_text=True
    )
    assert signed_in(laptop)
    assert is_sent_to_login(phone)
    assert is_sent_to_login(tablet)
    assert len(records(member)) == 1


def test_another_members_session_answers_404_and_survives(app, as_member):
    victim = factories.make_member()
    victim_browser = device(app, victim)
    [victim_record] = records(victim)
    attacker, _ = as_member()

    assert attacker.submit(f"/settings/security/sessions/{victim_record.id}/end").status_code == 404
    assert attacker.submit("/settings/security/sessions/999999/end").status_code == 404
    assert signed_in(victim_browser)


def test_the_security_forms_need_the_sites_csrf_token(app):
    member = factories.make_member()
    laptop, phone = device(app, member), device(app, member)

    assert laptop.post("/settings/security/sign-out-others").status_code == 400
    assert signed_in(phone)


# --- sockets ------------------------------------------------------------------------------


def test_a_deleted_session_record_loses_its_sockets_at_the_sweep(app, connect):  # noqa: F811
    member = factories.make_member()
    laptop, phone = device(app, member), device(app, member)
    laptop_socket, phone_socket = connect(laptop), connect(phone)
    assert laptop_socket.is_connected() and phone_socket.is_connected()
    # As if another process signed the laptop out: the row goes, no event reaches this process.
    laptop_record = min(records(member), key=lambda r: r.id)
    db.session.delete(laptop_record)
    db.session.commit()
    assert laptop_socket.is_connected()

    assert live.sweep() == 1

    assert not laptop_socket.is_connected()
    assert phone_socket.is_connected()


def test_signing_out_other_devices_cuts_their_sockets_at_once(app, connect):  # noqa: F811
    member = factories.make_member()
    laptop, phone = device(app, member), device(app, member)
    laptop_socket, phone_socket = connect(laptop), connect(phone)

    laptop.submit("/settings/security/sign-out-others")

    assert not phone_socket.is_connected()
    assert laptop_socket.is_connected()


def test_a_changing_user_agent_costs_no_new_cookie_and_keeps_the_member_in(app):
    member = factories.make_member()
    client = device(app, member)
    client.get("/notifications")  # settle: the first page after sign-in may still set cookies
    for user_agent in (SAFARI_ON_IPHONE, FIREFOX_ON_WINDOWS, SAFARI_ON_IPHONE):
        client.environ_base["HTTP_USER_AGENT"] = user_agent  # a browser update, a proxy
        response = client.get("/notifications")
        assert response.status_code == 200
        assert response.headers.getlist("Set-Cookie") == []
    assert signed_in(client)
