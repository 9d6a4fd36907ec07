"""A thread on a phone and a laptop (390 and 1366 px): the first post's words in the first
screen even for a moderator with every tool, and reactions, votes and the watch level that
change in place, without a reload."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from community.forum import services
from community.forum.polls import PollDraft
from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough

pytestmark = pytest.mark.e2e

OPENING = "We are choosing our listening tool this quarter and the shortlist is down to two."


@pytest.fixture(params=list(PHONE_AND_LAPTOP))
def width(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def thread_id(app) -> int:
    app.config["NEW_MEMBER_DAYS"] = 0
    author = factories.make_member(name="Ada Author")
    community = factories.make_community("listening", name="Social listening")
    poll = PollDraft("Build or buy?", ["Build", "Buy"], False)
    thread = services.create_thread(
        author, community, "Listening tools: build or buy, and who runs it?", OPENING, poll
    )
    services.reply(factories.make_member(name="Pat Peer"), thread.id, "We bought. " * 20)
    return thread.id


def open_page(browser: Browser, live_server: str, width: str, email: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[width])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in_on(page, email)
        yield page
    finally:
        context.close()


@pytest.fixture
def moderator_page(browser: Browser, live_server: str, width: str) -> Iterator[Page]:
    yield from open_page(browser, live_server, width, factories.make_member("owner").email)


def test_the_first_posts_words_are_in_the_first_screen(
    moderator_page: Page, thread_id: int, width: str
) -> None:
    page = moderator_page
    page.goto(f"/t/{thread_id}")
    first_words = page.locator("#p1 .post-body p").first
    expect(first_words).to_be_in_viewport()
    box = first_words.bounding_box()
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"] - 64  # type: ignore[index]
    # The moderation is one menu; opened, it offers every tool.
    expect(page.get_by_role("button", name="Pin the thread")).to_be_hidden()
    page.locator("details.thread-menu > summary").click()
    expect(page.get_by_role("button", name="Pin the thread")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"thread-first-screen-menu-{width}.png"))
    page.locator("details.thread-menu > summary").click()
    page.screenshot(path=str(SCREENSHOTS / f"thread-first-screen-{width}.png"))
    assert_no_horizontal_overflow(page)
    assert_tap_targets_large_enough(page)


@pytest.fixture
def reader_page(browser: Browser, live_server: str, width: str) -> Iterator[Page]:
    yield from open_page(browser, live_server, width, factories.make_member(name="Rita").email)


def test_reactions_votes_and_the_watch_level_change_in_place(
    reader_page: Page, thread_id: int, width: str
) -> None:
    page = reader_page
    page.goto(f"/t/{thread_id}")
    page.evaluate("window.stillTheSamePage = true")
    scrolled = page.evaluate("window.scrollY")

    like = page.locator("#p1").get_by_role("button", name="Like")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_accessible_name("Like · 1")
    expect(page.locator("#p1 .who")).to_have_text("Like: Rita")

    page.locator("#poll").get_by_label("Buy").check()
    page.locator("#poll").get_by_role("button", name="Vote").click()
    expect(page.locator("#poll")).to_contain_text("Buy (your vote)")

    page.get_by_label("Notifications", exact=True).select_option("muted")
    expect(page.locator("#live-announcer")).to_have_text("Notification level saved.")
    expect(page.locator(".watch-save")).to_be_hidden()  # the script saves on change

    assert page.evaluate("window.stillTheSamePage") is True  # no reload
    assert page.evaluate("window.scrollY") == scrolled or width.startswith("phone")
    page.reload()
    expect(page.locator("#p1").get_by_role("button", name="Like")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.get_by_label("Notifications", exact=True)).to_have_value("muted")
