"""Home and the communities page on a phone and a laptop (390 and 1366 px): every section
shows, nothing scrolls sideways, sections stack on the phone and sit in two columns on the
laptop; the communities are compact rows on the phone and a grid on the laptop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from community.events import rsvps
from community.forum import services as forum
from community.forum.thread_moderation import assign_thread
from community.library import services as library
from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough

pytestmark = pytest.mark.e2e

SECTIONS = (
    "Needs your response",
    "Waiting for moderators",
    "New in your communities",
    "Your upcoming events",
    "New in your topics",
)


@pytest.fixture(params=list(PHONE_AND_LAPTOP))
def width(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def moderator_email(app) -> str:
    """A moderator with something in every section of home."""
    app.config["NEW_MEMBER_DAYS"] = 0
    me = factories.make_member("moderator", name="Morgan Moderator")
    author, editor = factories.make_member(name="Ada Author"), factories.make_member("editor")
    strategy = factories.make_community("strategy", name="Strategy and planning")
    factories.make_community("growth", "executive", name="Growth")
    asked = factories.start_thread(
        author, strategy, "Who should own the crisis playbook when the CEO is travelling?", "?"
    )
    assign_thread(me, asked.id, me.handle)
    factories.start_thread(author, strategy, "A very long unbroken title " + "x" * 120, "Hi.")
    resource = factories.make_resource(editor, "Measuring share of voice", topics="Measurement")
    forum.reply(author, resource.thread_id, "Worth a read.")
    library.set_following(me, "measurement", True)
    rsvps.respond(me, factories.make_event(title="Roundtable on board reporting").id, "going")
    factories.make_request()
    return me.email


@pytest.fixture
def home_page(
    browser: Browser, live_server: str, width: str, moderator_email: str
) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[width])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in_on(page, moderator_email)
        yield page
    finally:
        context.close()


def section_box(page: Page, title: str) -> dict:
    box = page.locator("section.home-section", has=page.get_by_role("heading", name=title))
    expect(box).to_be_visible()
    bounds = box.bounding_box()
    assert bounds is not None
    return bounds


def test_home_shows_every_section_without_sideways_scroll(home_page: Page, width: str) -> None:
    page = home_page
    page.goto("/")
    for title in SECTIONS:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_text("1 library discussion with new replies")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"home-{width}.png"), full_page=True)
    assert_no_horizontal_overflow(page)
    assert_tap_targets_large_enough(page)

    needs, queues = section_box(page, SECTIONS[0]), section_box(page, SECTIONS[1])
    if width.startswith("phone"):  # stacked, one under the other, each the full width
        assert needs["x"] == queues["x"] and queues["y"] >= needs["y"] + needs["height"]
    else:  # two columns: side by side on one row
        assert queues["x"] >= needs["x"] + needs["width"] and queues["y"] == needs["y"]


def test_communities_are_rows_on_a_phone_and_a_grid_on_a_laptop(
    home_page: Page, width: str
) -> None:
    page = home_page
    page.goto("/c/")
    cards = page.locator(".community-card")
    expect(cards.first).to_be_visible()
    expect(page.get_by_role("heading", name="Library discussions")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"communities-{width}.png"), full_page=True)
    assert_no_horizontal_overflow(page)
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first is not None and second is not None
    if width.startswith("phone"):
        assert second["y"] >= first["y"] + first["height"]
    else:
        assert second["x"] >= first["x"] + first["width"] and second["y"] == first["y"]
