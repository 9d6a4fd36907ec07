"""The main navigation at 390 px and 1366 px: a bottom tab bar on a phone, the header's row on
a wide screen; every section in two taps at most, the current one marked, nothing sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough
from tests.e2e.navigation import main_navigation_item

pytestmark = pytest.mark.e2e

TABS = ("Home", "Communities", "Library", "Notifications")
IN_THE_MENU_ON_A_PHONE = ("Messages", "Events", "Members", "Search", "Moderation", "Admin")


@pytest.fixture(params=list(PHONE_AND_LAPTOP))
def width(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def owner_page(browser: Browser, live_server: str, width: str) -> Iterator[Page]:
    owner = factories.make_member("owner", name="Olive Owner")
    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[width])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in_on(page, owner.email)
        yield page
    finally:
        context.close()


def test_every_section_is_two_taps_away_and_the_current_one_is_marked(
    owner_page: Page, width: str
) -> None:
    page = owner_page
    navigation = page.get_by_role("navigation", name="Main")
    on_phone = width.startswith("phone")
    box = navigation.bounding_box()
    assert box is not None
    if on_phone:  # a bar along the bottom of the screen, always in reach of a thumb
        assert box["y"] + box["height"] == pytest.approx(844, abs=1)
        assert box["width"] == pytest.approx(390, abs=1)
    else:  # the header's row
        assert box["y"] < 100
    for tab in TABS:
        expect(navigation.get_by_role("link", name=tab, exact=True)).to_be_in_viewport()
    expect(navigation.get_by_role("link", name="Home", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert_no_horizontal_overflow(page)
    assert_tap_targets_large_enough(page)

    if not on_phone:  # a wide screen has the search box itself in the header
        expect(page.get_by_role("searchbox", name="Search")).to_be_visible()
    for name in (*TABS, *IN_THE_MENU_ON_A_PHONE, "Settings"):
        if name == "Search" and not on_phone:
            continue
        page.goto("/c/")  # from anywhere: one tap, or "Me" and then the item
        main_navigation_item(page, name).click()
        marked = page.get_by_role("navigation", name="Main").locator('[aria-current="page"]')
        if name == "Search":  # the search page is a place, not a section of the bar
            expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
        expect(marked.first).to_be_attached()
        if name == "Settings" or (name in IN_THE_MENU_ON_A_PHONE and on_phone):
            expect(page.locator("details.me-menu > summary")).to_have_class("tab current")
        assert_no_horizontal_overflow(page)

    page.goto("/events")
    current = main_navigation_item(page, "Events")
    expect(current).to_have_attribute("aria-current", "page")
    expect(current).to_be_in_viewport()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"navigation-menu-{width}.png"))
    assert_tap_targets_large_enough(page)


def test_signing_out_is_in_the_me_menu(owner_page: Page) -> None:
    main_navigation_item(owner_page, "Sign out", "button").click()
    expect(
        owner_page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")
    ).to_be_visible()
