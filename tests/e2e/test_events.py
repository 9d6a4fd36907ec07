"""Events in the browser, at phone and desktop widths: find an event, answer it, see the
answer, and join the waiting list of a full one."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from community.core.clock import utcnow
from community.events import rsvps
from tests import factories
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough
from tests.e2e.navigation import open_from_navigation
from tests.factories.events import make_event

pytestmark = pytest.mark.e2e


def test_member_finds_an_event_answers_going_and_waits_for_a_full_one(
    app, page: Page, screenshot: Callable, sign_in: Callable[[str], None], viewport: str
) -> None:
    owner = factories.make_member("owner")
    make_event(
        owner,
        title="Measuring social ROI: a peer roundtable",
        online=True,
        link="https://meet.example.com/roi",
        location="",
        timezone="America/New_York",
    )
    later = (utcnow() + timedelta(days=9)).replace(tzinfo=None, second=0, microsecond=0)
    full = make_event(
        owner,
        title="CxO dinner in Paris",
        capacity=1,
        timezone="Europe/Paris",
        starts_local=later,
        ends_local=later + timedelta(hours=3),
    )
    rsvps.respond(factories.make_member(), full.id, "going")
    member = factories.make_member(name="Ada Attendee")

    sign_in(member.email)
    open_from_navigation(page, "Events")
    expect(page.get_by_role("heading", name="Events", exact=True)).to_be_visible()
    expect(page.locator(".event-row").first).to_contain_text("Measuring social ROI")
    assert_no_horizontal_overflow(page)
    if viewport == "phone":
        assert_tap_targets_large_enough(page)
    screenshot("list")

    page.get_by_role("link", name="Measuring social ROI: a peer roundtable").click()
    expect(page.locator(".rsvp-state")).to_have_text("You have not answered yet.")
    expect(page.locator(".facts")).to_contain_text(re.compile(r"E[SD]T"))
    page.get_by_role("button", name="Going", exact=True).click()
    expect(page.locator(".flash-success")).to_have_text("Your answer is saved: going.")
    expect(page.locator(".rsvp-state")).to_have_text("Going.")
    expect(page.get_by_role("button", name="Going", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(".rsvp-counts")).to_contain_text("1 going")
    assert_no_horizontal_overflow(page)
    if viewport == "phone":
        assert_tap_targets_large_enough(page)
    screenshot("going")

    open_from_navigation(page, "Events")
    page.get_by_role("link", name="CxO dinner in Paris").click()
    expect(page.locator(".facts")).to_contain_text("1 of 1 taken")
    page.get_by_role("button", name="Going", exact=True).click()
    expect(page.locator(".rsvp-state")).to_have_text("You are number 1 on the waiting list.")
    assert_no_horizontal_overflow(page)
    screenshot("waiting")
