"""Profiles and the directory in the browser, at phone and desktop widths: upload a photo,
find a peer by interest, open their profile."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests import factories
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough
from tests.e2e.navigation import open_from_navigation

pytestmark = pytest.mark.e2e


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "darkgreen").save(out, "PNG")
    return out.getvalue()


def test_member_uploads_a_photo_finds_a_peer_and_opens_the_profile(
    app, page: Page, screenshot: Callable, sign_in: Callable[[str], None], viewport: str
) -> None:
    peer = factories.make_member(tier_slug="executive", name="Priya Ramanathan-Castellanos")
    factories.set_profile(
        peer,
        bio="Twenty years in logistics.\nNow running a global supply chain transformation.",
        region="Asia Pacific",
        company="Very Long Company Name Holdings International",
        interests=("supply chain", "ai", "sustainability reporting"),
    )
    for n in range(5):
        factories.make_member(tier_slug="strategist", name=f"Colleague {n}")
    member = factories.make_member(tier_slug="executive", name="Ada Reader")

    sign_in(member.email)
    page.goto("/settings/profile")
    assert_no_horizontal_overflow(page)
    if viewport == "phone":
        assert_tap_targets_large_enough(page)
    page.set_input_files(
        "input[name=photo]", files=[{"name": "me.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="Save the profile").click()
    expect(page.locator(".flash-success")).to_have_text("Your profile is saved.")
    expect(page.locator("img.avatar")).to_be_visible()

    open_from_navigation(page, "Members")
    expect(page.get_by_role("heading", name="Members")).to_be_visible()
    assert_no_horizontal_overflow(page)
    if viewport == "phone":
        assert_tap_targets_large_enough(page)
    screenshot("directory")

    page.get_by_label("Interest").fill("supply chain")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".member-card")).to_have_count(1)
    page.get_by_role("link", name="Priya Ramanathan-Castellanos").click()

    expect(page.get_by_role("heading", name="Priya Ramanathan-Castellanos")).to_be_visible()
    expect(page.locator(".bio")).to_contain_text("Now running a global supply chain")
    expect(page.locator(".profile-facts")).to_contain_text("Executive")
    assert_no_horizontal_overflow(page)
    if viewport == "phone":
        assert_tap_targets_large_enough(page)
    screenshot("profile")


def test_an_empty_directory_search_says_so(
    app, page: Page, sign_in: Callable[[str], None], viewport: str
) -> None:
    member = factories.make_member(name="Solo Member")
    sign_in(member.email)
    page.goto("/members?interest=nothing+like+it")
    expect(page.locator(".empty")).to_contain_text("No member you can see matches")
    assert_no_horizontal_overflow(page)
