"""Browser fixtures: the real app served from a thread, headless Chromium, a page per viewport.

``live_server`` serves the very app object of the ``app`` fixture (defaults seeded, CSRF on),
so a test can seed data with the factories in its own thread and then drive the browser
against it. A test that uses it commits for real (the server's threads have connections of
their own), and the tables are emptied after it. ``page`` runs every test twice: on a 360 px
phone and on a desktop.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, Response, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests import factories

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS: dict[str, dict] = {
    "phone": {
        "viewport": {"width": 360, "height": 780},
        "screen": {"width": 360, "height": 780},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
# The widths the issues name (an iPhone 12-15 and a common laptop), for pages checked there.
PHONE_AND_LAPTOP: dict[str, dict] = {
    "phone-390": {
        "viewport": {"width": 390, "height": 844},
        "screen": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop-1366": {"viewport": {"width": 1366, "height": 900}},
}
TIMEOUT_MS = 15_000  # generous: the browser shares two cores with two other test jobs


class QuietHandler(WSGIRequestHandler):
    """No access log lines: failures show the browser's view, not the server's chatter."""

    def log_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test's app on a free 127.0.0.1 port, served by a background thread; yields its URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture(scope="session")
def driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(driver: Playwright) -> Iterator[Browser]:
    browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def page(browser: Browser, live_server: str, viewport: str) -> Iterator[Page]:
    """A fresh browser context at the test's viewport, its relative URLs on the live server.

    Any server error (5xx) or uncaught script error during the test fails it at teardown.
    """
    context = browser.new_context(base_url=live_server, **VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 500:
            problems.append(f"{response.status} from {response.url}")

    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    try:
        yield page
    finally:
        context.close()
    assert not problems, problems


@pytest.fixture
def screenshot(page: Page, viewport: str, request: pytest.FixtureRequest) -> Callable[..., Path]:
    """``screenshot()`` or ``screenshot("step")``: a full-page PNG named after the test."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"^test_", "", request.node.originalname)

    def take(step: str = "") -> Path:
        name = "-".join(part for part in (test_name, step, viewport) if part)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def submit_sign_in(page: Page, email: str, password: str = factories.PASSWORD) -> None:
    """Fill in and send the /login form, as a person would (where it leads is the caller's)."""
    page.goto("/login")
    page.get_by_label("Work email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in_on(page: Page, email: str, password: str = factories.PASSWORD) -> None:
    """Sign in through the /login page and land on the home page."""
    submit_sign_in(page, email, password)
    page.wait_for_url(re.compile(r"/$"))


@pytest.fixture
def sign_in(page: Page) -> Callable[[str], None]:
    """Sign in through the /login page, as a person would."""

    def sign_in_as(email: str, password: str = factories.PASSWORD) -> None:
        sign_in_on(page, email, password)

    return sign_in_as
