"""Links in emails point at the configured site whatever Host a request names, and the
production site refuses requests for any other host and asks browsers to stay on https."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from community.core.urls import external_url
from community.forum import services as forum
from tests import factories
from tests.client import CSRF_PATTERN, FormClient
from tests.conftest import Outbox
from tests.integration.test_forum import make_community

BASE_URL = "https://council.example.com"
LINK = re.compile(r"https?://[^\s\"<>]+")


def links_in(outbox, address: str) -> list[str]:
    return [link for message in outbox.to(address) for link in LINK.findall(outbox.text(message))]


def visit_as(client: FormClient, host: str) -> None:
    """Let this client's cookies travel with requests that name ``host``, as an attacker's own
    browser would send them with a forged Host header."""
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            client.set_cookie(name, cookie.value, domain=host)


# --- links are built from the base URL alone ----------------------------------------------


@pytest.mark.parametrize("base_url", [BASE_URL, None], ids=["configured", "development"])
def test_a_reset_asked_with_a_forged_host_mails_a_link_to_the_real_site(
    app, client, outbox, base_url
):
    app.config["BASE_URL"] = base_url
    site = base_url or "http://127.0.0.1:5000"
    member = factories.make_member()
    client.get("/password/forgot")
    visit_as(client, "evil.example")

    response = client.submit(
        "/password/forgot", {"email": member.email}, headers={"Host": "evil.example"}
    )

    assert response.status_code == 200
    [link] = links_in(outbox, member.email)
    assert link.startswith(f"{site}/password/reset/")
    assert "evil.example" not in link


def test_x_forwarded_host_is_never_trusted_even_behind_a_proxy(make_app):
    proxied = make_app(BASE_URL=BASE_URL, PROXY_FIX=True)
    with proxied.app_context():
        member = factories.make_member()
        client = proxied.test_client()
        forged = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
        page = client.get("/password/forgot", base_url=BASE_URL, headers=forged)
        token = CSRF_PATTERN.search(page.get_data(as_text=True)).group(1)

        response = client.post(
            "/password/forgot",
            base_url=BASE_URL,
            headers={**forged, "Referer": f"{BASE_URL}/password/forgot"},
            data={"email": member.email, "csrf_token": token},
        )

        assert response.status_code == 200
        outbox = Outbox(proxied, Path(proxied.config["MAIL_OUTBOX"]))
        [message] = outbox.to(member.email)
        [link] = LINK.findall(outbox.text(message))
        assert link.startswith(f"{BASE_URL}/password/reset/")


@pytest.mark.parametrize("base_url", [BASE_URL, None], ids=["configured", "development"])
def test_a_notification_email_from_a_forged_host_request_links_to_the_real_site(
    app, as_member, outbox, base_url
):
    app.config["BASE_URL"] = base_url
    site = base_url or "http://127.0.0.1:5000"
    lounge = make_community("lounge", "strategist", name="Lounge")
    author = factories.make_member()
    thread = forum.create_thread(author, lounge, "Where next?", "Ideas welcome.")
    replier_client, _ = as_member()
    visit_as(replier_client, "evil.example")
    outbox.clear()

    response = replier_client.submit(
        f"/t/{thread.id}/reply", {"body": "Over here."}, headers={"Host": "evil.example"}
    )

    assert response.status_code == 302
    links = links_in(outbox, author.email)
    assert links, "the reply sent no email"
    assert all(link.startswith(f"{site}/") for link in links), links
    [message] = outbox.to(author.email)
    assert message["List-Unsubscribe"].startswith(f"<{site}/notifications/unsubscribe/")


def test_links_from_the_cli_and_jobs_use_the_base_url_too(app):
    assert external_url("members.login") == "http://127.0.0.1:5000/login"
    app.config["BASE_URL"] = "https://council.example.com/community"
    assert external_url("members.login") == "https://council.example.com/community/login"


# --- the production site: one host, https only --------------------------------------------


def test_a_request_naming_another_host_is_refused_once_the_base_url_is_set(make_app):
    site = make_app(BASE_URL=BASE_URL)
    with site.app_context():
        client = site.test_client()
        assert client.get("/login", headers={"Host": "council.example.com"}).status_code == 200
        assert client.get("/login", headers={"Host": "council.example.com:8443"}).status_code == 200
        refused = client.get("/login", headers={"Host": "evil.example"})
        assert refused.status_code == 400
        assert "evil.example" not in refused.get_data(as_text=True)


def test_https_sites_tell_browsers_to_stay_on_https(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers

    app.config["BASE_URL"] = BASE_URL

    response = client.get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
