"""Discussions in the browser, at phone and desktop widths: post, reply, react, flag."""

from __future__ import annotations

import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from community.core.clock import as_utc
from community.extensions import db
from community.forum.communities import CommunityDraft, create_community
from community.moderation.models import Flag
from tests import factories
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough

pytestmark = pytest.mark.e2e


@pytest.fixture
def community(app):
    owner = factories.make_member("owner")
    return create_community(
        owner,
        CommunityDraft(
            name="Social listening",
            slug="listening",
            description="Tools and habits.",
            category="Practice",
            min_tier="strategist",
        ),
    )


def test_member_starts_a_thread_and_a_peer_replies_reacts_and_flags(
    app,
    page: Page,
    screenshot: Callable,
    sign_in: Callable[[str], None],
    viewport: str,
    community,
) -> None:
    app.config["NEW_MEMBER_DAYS"] = 0  # these members are not new for the forum's limits
    author = factories.make_member(name="Ada Author")
    peer = factories.make_member(name="Pat Peer")

    sign_in(author.email)
    page.get_by_role("link", name="Communities", exact=True).click()
    page.get_by_role("link", name="Social listening").click()
    expect(page.get_by_role("heading", name="No threads yet")).to_be_visible()
    page.get_by_role("link", name="New thread").click()
    page.get_by_label("Title").fill("Listening tools: build or buy?")
    page.get_by_label("Your post (Markdown)").fill(
        "We are choosing **this quarter**.\n\n- cost\n- coverage\n\nWhat did you pick?"
    )
    page.locator("summary", has_text="Add a poll").click()
    page.get_by_label("Poll question (optional)").fill("Build or buy?")
    page.get_by_label("Options, one per line").fill("Build\nBuy\nBoth")
    page.get_by_role("button", name="Post thread").click()
    expect(page).to_have_url(re.compile(r"/t/\d+$"))
    expect(page.locator(".post-body strong")).to_have_text("this quarter")
    assert_no_horizontal_overflow(page)
    screenshot("thread")

    page.context.clear_cookies()
    sign_in(peer.email)
    expect(page.get_by_role("link", name="Listening tools: build or buy?")).to_be_visible()
    page.get_by_role("link", name="Listening tools: build or buy?").click()
    page.get_by_label("Both").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.locator(".poll-results li.mine")).to_contain_text("Both (your vote)")
    expect(page.locator(".poll")).to_contain_text("1 voter")
    reply = page.get_by_label("Reply (Markdown)")
    reply.fill("We bought, then built. Ask ")
    reply.press_sequentially("@ad")  # the editor suggests members who can read the thread
    expect(page.get_by_role("option", name=f"@{author.handle}")).to_be_visible()
    reply.press("Enter")
    expect(reply).to_have_value(f"We bought, then built. Ask @{author.handle} ")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#p2 .mention")).to_have_text(f"@{author.handle}")

    page.locator("#p1").get_by_role("button", name="Like").click()
    expect(page.locator("#p1").get_by_role("button", name=re.compile(r"Like · 1"))).to_be_visible()
    expect(page.locator("#p1 .who")).to_contain_text("Pat Peer")

    page.locator("#p1").get_by_label("More actions for post #1").click()
    page.locator("#p1 summary", has_text="Flag").click()
    page.locator("#p1").get_by_label("Why?").select_option("off_topic")
    page.locator("#p1").get_by_role("button", name="Send to moderators").click()
    expect(page.get_by_role("status")).to_contain_text("moderators will review")
    if viewport == "phone":
        assert_tap_targets_large_enough(page)
    assert_no_horizontal_overflow(page)
    screenshot("after-reply")
    db.session.expire_all()
    assert db.session.scalars(select(Flag)).one().reason == "off_topic"


def test_times_show_in_the_browsers_zone_with_the_zone_named(
    app, browser: Browser, live_server: str, community
) -> None:
    """The server writes UTC; a reader in Tokyo sees Tokyo time, and is told so."""
    author = factories.make_member(name="Ada Author")
    thread = factories.start_thread(author, community, "Offsite dates", "Which week suits?")
    created = as_utc(thread.created_at).astimezone(ZoneInfo("Asia/Tokyo"))
    context = browser.new_context(base_url=live_server, timezone_id="Asia/Tokyo")
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto("/login")
        page.get_by_label("Work email", exact=True).fill(author.email)
        page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"/t/{thread.id}")
        posted = page.locator("#p1 time")
        expect(posted).to_have_text("just now")
        expect(posted).to_have_attribute("title", f"{created.day} {created:%b %Y %H:%M} GMT+9")
    finally:
        context.close()
    assert not errors, errors
