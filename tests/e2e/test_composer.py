"""The composer on a phone and a laptop (390 and 1366 px): the toolbar edits the selection, the
preview shows the server's rendering, a picture is added, and a draft survives a reload until
the reply is posted."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from community.forum import services
from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow

pytestmark = pytest.mark.e2e


@pytest.fixture(params=list(PHONE_AND_LAPTOP))
def width(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def thread_id(app) -> int:
    author = factories.make_member(name="Ada Author")
    community = factories.make_community("listening", name="Social listening")
    thread = services.create_thread(author, community, "Build or buy?", "Which did you choose?")
    return thread.id


@pytest.fixture
def member_page(browser: Browser, live_server: str, width: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[width])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}") if response.status >= 500 else None
        ),
    )
    try:
        sign_in_on(page, factories.make_member(name="Pat Peer").email)
        yield page
    finally:
        context.close()
    assert not problems, problems


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), "teal").save(out, "PNG")
    return out.getvalue()


def test_toolbar_preview_picture_and_a_draft_that_survives_a_reload(
    member_page: Page, thread_id: int, width: str
) -> None:
    page = member_page
    page.goto(f"/t/{thread_id}")
    reply = page.get_by_label("Reply (Markdown)")
    reply.fill("We bought it")
    reply.evaluate("area => area.setSelectionRange(3, 9)")  # "bought"
    page.get_by_role("button", name=re.compile(r"^Bold")).click()
    expect(reply).to_have_value("We **bought** it")
    reply.press("End")
    reply.press_sequentially(", see ")
    reply.press("Control+k")
    expect(reply).to_have_value("We **bought** it, see [link text](https://)")
    reply.evaluate("area => area.setSelectionRange(area.value.length, area.value.length)")

    page.locator(".composer input[type=file]").set_input_files(
        files=[{"name": "chart.png", "mimeType": "image/png", "buffer": png()}]
    )
    expect(reply).to_have_value(re.compile(r"\(https://\)\n!\[\]\(/images/[0-9a-f]{32}\.png\)\n$"))

    page.get_by_role("tab", name="Preview").click()
    preview = page.locator(".composer-preview")
    expect(preview.locator("strong")).to_have_text("bought")
    expect(preview.locator("img")).to_have_attribute("src", re.compile(r"^/images/"))
    # The picture really loads (through the access-checked route), at its stored width.
    page.wait_for_function(
        "() => { const img = document.querySelector('.composer-preview img');"
        " return img !== null && img.complete && img.naturalWidth === 120; }"
    )
    assert_no_horizontal_overflow(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"composer-preview-{width}.png"), full_page=True)
    page.get_by_role("tab", name="Write").click()
    expect(reply).to_be_visible()

    expect(page.locator(".composer-status").filter(has_text="Draft saved.")).to_be_visible()
    typed = reply.input_value()
    page.reload()
    expect(reply).to_have_value(typed)
    expect(page.get_by_text("Draft restored")).to_be_visible()

    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(re.compile(rf"/t/{thread_id}.*#p2$"))
    expect(page.locator("#p2 .post-body strong")).to_have_text("bought")
    expect(reply).to_have_value("")  # posted: the draft is gone
    page.reload()
    expect(reply).to_have_value("")
    expect(page.get_by_text("Draft restored")).to_have_count(0)


def _draft_keys(page: Page) -> list[str]:
    return page.evaluate(
        "() => Object.keys(window.localStorage).filter(key => key.startsWith('council:draft:'))"
    )


def test_signing_out_clears_the_members_drafts_so_the_next_person_finds_none(
    member_page: Page, thread_id: int, width: str
) -> None:
    page = member_page
    page.goto(f"/t/{thread_id}")
    reply = page.get_by_label("Reply (Markdown)")
    reply.fill("Our board meets on Friday about the merger")
    expect(page.locator(".composer-status").filter(has_text="Draft saved.")).to_be_visible()
    assert len(_draft_keys(page)) == 1

    page.locator("details.me-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.wait_for_function(
        "() => !Object.keys(window.localStorage).some(key => key.startsWith('council:draft:'))"
    )

    # The next person at this browser signs in and opens the same thread: an empty reply box.
    sign_in_on(page, factories.make_member(name="Next Person").email)
    page.goto(f"/t/{thread_id}")
    expect(reply).to_have_value("")
    expect(page.get_by_text("Draft restored")).to_have_count(0)
    assert "merger" not in page.content()
