"""The search page in the browser at phone (390 px) and desktop (1366 px) widths: the box is
reached from the header (an icon on a phone), results with their kind tabs and pages show,
the filters narrow them, and nothing scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from community.search import indexing
from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow

pytestmark = pytest.mark.e2e


def open_search_from_the_header(page: Page, width: str, words: str) -> None:
    """A phone shows only the header's icon, which opens the search page and its box; a
    desktop takes the words in the header's own box."""
    header_box = page.locator("#header-q")
    if width.startswith("phone"):
        expect(header_box).to_be_hidden()
        page.get_by_role("link", name="Search", exact=True).first.click()
        page.wait_for_url(re.compile(r"/search$"))
        page.get_by_label("Words", exact=True).fill(words)
        page.get_by_role("button", name="Search").click()
    else:
        header_box.fill(words)
        header_box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))


@pytest.mark.parametrize("width", list(PHONE_AND_LAPTOP))
def test_search_with_filters_fits_the_screen(
    app, browser: Browser, live_server: str, width: str
) -> None:
    member = factories.make_member("member", "strategist", name="Sam Searcher")
    growth = factories.make_community("growth", "strategist")
    brand = factories.make_community("brand", "strategist")
    thread = factories.start_thread(
        member,
        growth,
        "Observation budgets for the quarter",
        "Our observation: paid beats organic.",
    )
    factories.start_thread(member, brand, "Brand observation notes", "Colours and voice.")
    factories.add_posts(thread, member, 24)  # straight inserts: past the posting rate
    indexing.rebuild()

    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[width])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in_on(page, member.email)
        open_search_from_the_header(page, width, "observation")

        tabs = page.get_by_role("navigation", name="Kinds")
        expect(tabs.get_by_role("link", name="Everything (26)")).to_be_visible()
        expect(tabs.get_by_role("link", name="Thread (2)")).to_be_visible()
        expect(page.locator("li.search-hit")).to_have_count(20)
        expect(page.locator("li.search-hit mark").first).to_be_visible()
        expect(page.get_by_text("Page 1 of 2")).to_be_visible()
        assert_no_horizontal_overflow(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"search-{width}.png"), full_page=True)

        # Filters: threads only, in one community.
        page.get_by_label("Kind", exact=True).select_option("thread")
        page.get_by_label("Community", exact=True).fill("brand")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_text("Only in Brand.")).to_be_visible()
        expect(page.locator("li.search-hit")).to_have_count(1)
        expect(page.locator("li.search-hit")).to_contain_text("Brand observation notes")
        expect(tabs.get_by_role("link", name="Thread (1)")).to_have_attribute(
            "aria-current", "page"
        )
        assert_no_horizontal_overflow(page)
        page.screenshot(path=str(SCREENSHOTS / f"search-filtered-{width}.png"), full_page=True)

        # A tab keeps the words and the scope: every post, in pages.
        page.get_by_role("link", name="Search everywhere").click()
        page.get_by_role("navigation", name="Kinds").get_by_role("link", name="Post (24)").click()
        expect(page.locator("li.search-hit")).to_have_count(20)
        page.get_by_role("link", name="Next").click()
        expect(page.locator("li.search-hit")).to_have_count(4)
        assert_no_horizontal_overflow(page)
    finally:
        context.close()
