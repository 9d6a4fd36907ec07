"""The finish in Chromium at 390 and 1366 px: dark mode when the device asks for it, the
manifest linked and valid, the service worker's offline page, and nothing sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow

pytestmark = pytest.mark.e2e


@pytest.fixture(params=list(PHONE_AND_LAPTOP))
def width(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def context(browser: Browser, live_server: str, width: str) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=live_server, color_scheme="dark", **PHONE_AND_LAPTOP[width]
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def background(page: Page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")


def test_dark_mode_the_manifest_and_the_offline_page(context: BrowserContext, width: str) -> None:
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    community = factories.make_community("listening", name="Social listening")
    author = factories.make_member(name="Ada Author")
    factories.start_thread(author, community, "Listening tools", "Build or buy?")
    sign_in_on(page, factories.make_member().email)

    page.goto("/c/listening")
    assert background(page, "body") == "rgb(17, 22, 28)"  # the dark paper
    assert background(page, ".thread-row, .card, .empty") in ("rgba(0, 0, 0, 0)", "rgb(26, 34, 43)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dark-community-{width}.png"))
    page.emulate_media(color_scheme="light")
    assert background(page, "body") == "rgb(251, 250, 247)"
    page.emulate_media(color_scheme="dark")
    assert_no_horizontal_overflow(page)

    href = page.get_attribute('link[rel="manifest"]', "href")
    manifest = page.request.get(href).json()  # type: ignore[arg-type]
    assert manifest["name"] == "Council" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert page.request.get(icon["src"]).ok
    assert not missing, missing  # the favicon and every icon load

    # The worker takes over, then a page asked for offline shows the offline page.
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    try:
        page.goto("/c/listening")
        expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
        assert "Listening tools" not in page.content()  # no member content was kept
        assert background(page, "body") == "rgb(17, 22, 28)"  # its stylesheet was cached
        assert_no_horizontal_overflow(page)
    finally:
        context.set_offline(False)
