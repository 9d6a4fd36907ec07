"""In the browser: a member sets up two-step sign-in from the security page (QR code, key,
first code, recovery codes) and signs in with a code, on a 390 px phone and a 1366 px desktop."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on, submit_sign_in
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough
from tests.e2e.navigation import main_navigation_item, open_from_navigation

pytestmark = pytest.mark.e2e


@pytest.fixture(params=list(PHONE_AND_LAPTOP))
def wide_page(request, browser: Browser, live_server: str) -> Iterator[tuple[Page, str]]:
    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[request.param])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 500 else 0)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    try:
        yield page, request.param
    finally:
        context.close()
    assert not problems, problems


def check_layout(page: Page, name: str, width: str) -> None:
    assert_no_horizontal_overflow(page)
    assert_tap_targets_large_enough(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"two_factor-{name}-{width}.png"), full_page=True)


def test_member_enrols_and_signs_in_with_a_code(wide_page) -> None:
    page, width = wide_page
    member = factories.make_member()
    sign_in_on(page, member.email)

    page.goto("/settings/security")
    page.get_by_role("link", name="Set it up").click()
    page.get_by_role("button", name="Set up two-step sign-in").click()
    expect(page.locator("figure.qr svg")).to_be_visible()
    qr = page.locator("figure.qr svg").bounding_box()
    assert qr is not None and qr["width"] >= 150  # large enough for a phone camera
    check_layout(page, "enrol", width)

    totp = pyotp.TOTP(page.locator("#totp-secret").inner_text().strip())
    page.get_by_label("Code", exact=True).fill(totp.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    check_layout(page, "recovery-codes", width)

    open_from_navigation(page, "Sign out", "button")
    submit_sign_in(page, member.email)
    page.wait_for_url(re.compile(r"/login/code$"))
    check_layout(page, "code-step", width)
    page.get_by_label("Code", exact=True).fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(main_navigation_item(page, "Sign out", "button")).to_be_visible()
