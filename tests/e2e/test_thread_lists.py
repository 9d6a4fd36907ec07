"""A community's thread list on a phone and a laptop (390 and 1366 px): no sideways scroll,
and the pager and the sort work in the browser."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow
from tests.factories.forum import seed_thread

pytestmark = pytest.mark.e2e


@pytest.fixture(params=list(PHONE_AND_LAPTOP))
def page(request: pytest.FixtureRequest, browser: Browser, live_server: str) -> Iterator[Page]:
    community = factories.make_community("listening", name="Social listening")
    people = [factories.make_member(name=f"Alexandra Montgomery-Smythe {n}") for n in range(4)]
    for n in range(32):  # two pages of 30
        title = f"Thread {n:02d}: how do you staff an always-on listening desk across regions"
        seed_thread(community, people[n % 4], title, *people[: n % 5])
    reader = factories.make_member()
    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[request.param])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in_on(page, reader.email)
        yield page
    finally:
        context.close()


def test_thread_list_fits_and_pages(page: Page) -> None:
    page.goto("/c/listening")
    expect(page.locator(".thread-row").first).to_contain_text("Thread 31")
    assert_no_horizontal_overflow(page)

    page.get_by_role("link", name="Page 2").click()
    expect(page.locator(".pager-status")).to_have_text("Page 2")
    expect(page.locator(".thread-row")).to_have_count(2)
    expect(page.get_by_role("link", name="Next")).to_have_count(0)  # nothing after the last
    assert_no_horizontal_overflow(page)

    page.get_by_label("Sort", exact=True).select_option("newest")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".thread-row").first).to_contain_text("Thread 31")
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"sort=newest.*page=2|page=2.*sort=newest"))
