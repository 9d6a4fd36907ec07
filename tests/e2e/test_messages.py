"""A private conversation in the browser at phone (390 px) and desktop (1366 px) widths: a
message from the other participant appears without a reload, and a reply is sent with the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from community.messages.conversations import send_message
from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", list(PHONE_AND_LAPTOP))
def test_a_conversation_updates_live_and_fits_the_screen(
    app, browser: Browser, live_server: str, width: str
) -> None:
    reader = factories.make_member(name="Rita Reader")
    writer = factories.make_member(name="Wes Writer")
    conversation = factories.make_conversation(
        writer, reader, subject="Social budgets for next year", body="How do you split yours?"
    )
    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[width])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in_on(page, reader.email)
        expect(page.locator("#message-count")).to_have_text("1")

        page.goto(f"/messages/{conversation.id}")
        expect(page.locator("li.message")).to_have_count(1)
        page.evaluate("window.stillTheSamePage = true")
        page.wait_for_function("window.councilSocket && window.councilSocket.connected")
        page.wait_for_timeout(300)  # the watch_conversation answer

        send_message(writer, conversation.id, "Mostly **paid**, some organic.")

        expect(page.locator("li.message#m2")).to_contain_text("Mostly paid, some organic.")
        assert page.evaluate("window.stillTheSamePage") is True  # appended, not reloaded
        assert_no_horizontal_overflow(page)
        assert_tap_targets_large_enough(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"conversation-{width}.png"), full_page=True)

        page.get_by_label("Message (Markdown)").fill("Thanks, that helps.")
        page.get_by_role("button", name="Send", exact=True).click()
        expect(page.locator("li.message#m3")).to_contain_text("Thanks, that helps.")

        page.goto("/messages")
        expect(page.locator(".conversation-row")).to_contain_text("Social budgets for next year")
        assert_no_horizontal_overflow(page)
        assert_tap_targets_large_enough(page)
    finally:
        context.close()
