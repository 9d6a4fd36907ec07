"""The main navigation: every section reachable, the current one marked, on every page."""

from __future__ import annotations

import re

import pytest

from community.core.navigation import section_of


def current_links(page: str) -> list[str]:
    """The href of every link of the main navigation marked as the current page."""
    nav = page.split('<nav class="nav" aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"[^>]*aria-current="page"', nav)


@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("/", ["/"]),
        ("/c/", ["/c/"]),
        ("/library", ["/library"]),
        ("/notifications", ["/notifications"]),
        # In the header on a wide screen and in the "Me" menu on a phone: one shows at a time.
        ("/events", ["/events", "/events"]),
        ("/settings/profile", ["/settings/profile"]),
    ],
)
def test_the_current_section_is_marked_once_per_width(as_member, path, marked):
    client, _ = as_member()
    page = client.get(path).get_data(as_text=True)
    assert current_links(page) == marked


def test_a_thread_is_marked_as_in_communities(as_member):
    assert section_of("/t/12/some-title") == "communities"
    assert section_of("/login") == ""


def test_the_me_menu_reaches_settings_sign_out_and_what_the_member_may_open(as_member):
    member_client, _ = as_member()
    page = member_client.get("/").get_data(as_text=True)
    menu = page.split('<details class="menu me-menu">', 1)[1].split("</details>", 1)[0]
    for href in ("/messages", "/events", "/members", "/search", "/settings/profile", "/logout"):
        assert f'"{href}"' in menu, href
    assert "/moderation" not in menu and "/admin" not in menu

    owner_client, _ = as_member("owner")
    menu = owner_client.get("/").get_data(as_text=True).split('class="menu me-menu"', 1)[1]
    assert "/moderation/" in menu and '"/admin/' in menu
