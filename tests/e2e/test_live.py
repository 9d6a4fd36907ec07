"""Live updates in the browser: one member replies, the other's badge and thread page update
without a reload, at phone and desktop widths."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from community.core.outbox import drain_all
from community.forum import services as forum
from community.forum import watching
from community.forum.communities import CommunityDraft, create_community
from tests import factories
from tests.e2e.conftest import SCREENSHOTS, TIMEOUT_MS, VIEWPORTS
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough

pytestmark = pytest.mark.e2e


def signed_in_page(browser: Browser, live_server: str, viewport: str, email: str) -> Page:
    context = browser.new_context(base_url=live_server, **VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Work email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    return page


def test_a_reply_updates_the_readers_badge_and_thread_without_a_reload(
    app, browser: Browser, live_server: str, viewport: str, page: Page, sign_in: Callable
) -> None:
    app.config["NEW_MEMBER_DAYS"] = 0
    owner = factories.make_member("owner")
    lounge = create_community(
        owner,
        CommunityDraft(
            name="Lounge", slug="lounge", description="", category="General", min_tier="strategist"
        ),
    )
    reader = factories.make_member(name="Rita Reader")
    replier = factories.make_member(name="Rex Replier")
    thread = forum.create_thread(reader, lounge, "Live thread", "Watching this one.")
    watching.set_thread_watch(reader, thread.id, "watching")

    sign_in(reader.email)
    page.goto(f"/t/{thread.id}")
    badge = page.locator("#notification-count")
    expect(badge).to_be_hidden()
    page.evaluate("window.stillTheSamePage = true")

    other = signed_in_page(browser, live_server, viewport, replier.email)
    try:
        other.goto(f"/t/{thread.id}")
        other.get_by_label("Reply (Markdown)").fill("Here is **my** answer, live.")
        other.get_by_role("button", name="Post reply").click()
        expect(other.locator("li.post", has_text="my answer, live")).to_be_visible()
    finally:
        other.context.close()
    drain_all()  # the worker tells the reader within seconds; no worker runs in tests

    expect(badge).to_have_text("1")
    expect(badge).to_be_in_viewport()  # also on a phone, where the links scroll sideways
    bar = page.get_by_role("button", name="1 new post: show it")
    expect(bar).to_be_visible()
    expect(page.locator("li.post")).to_have_count(1)  # the page did not jump
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"live-new-post-bar-{viewport}.png"), full_page=True)

    bar.click()
    expect(page.locator("li.post#p2")).to_contain_text("my answer, live")
    expect(bar).to_be_hidden()
    assert page.evaluate("window.stillTheSamePage") is True  # appended, not reloaded
    assert_no_horizontal_overflow(page)

    page.get_by_role("link", name=re.compile("Notifications")).click()
    expect(page.locator(".notification.unread")).to_contain_text(
        "Rex Replier replied to “Live thread”"  # grouped by thread, the actor named
    )
    assert_no_horizontal_overflow(page)
    page.screenshot(path=str(SCREENSHOTS / f"live-notifications-{viewport}.png"), full_page=True)

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Reactions to my posts").select_option("email")
    page.get_by_label("Lounge").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Your notification settings are saved.")
    expect(page.get_by_label("Reactions to my posts")).to_have_value("email")
    expect(page.get_by_label("Lounge")).to_be_checked()
    assert_no_horizontal_overflow(page)
    assert_tap_targets_large_enough(page)
    page.screenshot(path=str(SCREENSHOTS / f"notification-settings-{viewport}.png"), full_page=True)
