"""The library in the browser, at phone and desktop widths: the list with its filters, a
resource page with "Mark as done", a learning path's progress, and the editorial calendar."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from community.library import paths, workflow
from tests import factories
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough

pytestmark = pytest.mark.e2e


@pytest.fixture
def shelf(app):
    owner = factories.make_member("owner", name="Olivia Owner")
    guide = factories.make_resource(
        owner,
        "A one-page social dashboard that the whole board can read",
        kind="how_to",
        topics="Measurement, Board reporting",
        body="## Steps\n\n1. Pick **one** outcome.\n2. Show the trend.",
    )
    paper = factories.make_resource(owner, "Listening tools compared", kind="research")
    factories.make_resource(owner, "Council-only memo", tier_slug="council")
    paths.save_path(owner, None, "Measurement basics", "Start here.", [guide.id, paper.id])
    return owner, guide


def test_member_browses_the_library_and_marks_a_resource_done(
    page: Page,
    screenshot: Callable,
    sign_in: Callable[[str], None],
    viewport: str,
    shelf,
) -> None:
    _, guide = shelf
    member = factories.make_member(tier_slug="executive", name="Erin Exec")
    sign_in(member.email)
    page.get_by_role("link", name="Library", exact=True).click()
    expect(page.get_by_role("heading", name="Library")).to_be_visible()
    expect(page.get_by_text("2 resources")).to_be_visible()
    expect(page.get_by_text("Council-only memo")).to_have_count(0)
    if viewport == "phone":
        assert_tap_targets_large_enough(page)
    assert_no_horizontal_overflow(page)
    screenshot("list")

    page.get_by_label("Kind").select_option("how_to")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"kind=how_to"))
    expect(page.get_by_text("Listening tools compared")).to_have_count(0)
    page.get_by_role("link", name=guide.title).click()

    expect(page.get_by_role("heading", name=guide.title)).to_be_visible()
    expect(page.locator(".resource-body strong")).to_have_text("one")
    expect(page.get_by_role("link", name=re.compile(r"Join the discussion"))).to_be_visible()
    page.get_by_role("button", name="Follow Measurement").click()
    expect(page.get_by_role("button", name="Unfollow Measurement")).to_be_visible()
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as done")
    expect(page.get_by_role("button", name="Mark as not done")).to_be_visible()
    if viewport == "phone":
        assert_tap_targets_large_enough(page)
    assert_no_horizontal_overflow(page)
    screenshot("resource")

    page.goto("/library/paths")
    expect(page.get_by_text("1 of 2 done")).to_be_visible()
    assert_no_horizontal_overflow(page)
    screenshot("paths")


def test_editor_reads_the_calendar_on_any_screen(
    page: Page,
    screenshot: Callable,
    sign_in: Callable[[str], None],
    viewport: str,
    shelf,
) -> None:
    owner, _ = shelf
    when = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=2)
    scheduled = factories.make_resource(owner, "Budget checklist", status="in_review")
    workflow.transition(owner, scheduled.id, "scheduled", when)
    factories.make_resource(owner, "Unfinished onboarding guide", status="draft")
    sign_in(owner.email)
    page.goto(f"/library/calendar?month={when:%Y-%m}")
    expect(
        page.get_by_role("link", name=re.compile(r"Scheduled: Budget checklist"))
    ).to_be_visible()
    expect(page.locator(".undated")).to_contain_text("Unfinished onboarding guide")
    if viewport == "phone":
        assert_tap_targets_large_enough(page)
    assert_no_horizontal_overflow(page)
    screenshot("calendar")
    page.get_by_role("link", name=re.compile(r"Scheduled: Budget checklist")).click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    assert_no_horizontal_overflow(page)
    screenshot("edit")
