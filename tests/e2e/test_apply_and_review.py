"""In the browser: a visitor requests membership, a moderator reviews the queue, every page fits
a 360 px phone and a desktop without sideways scrolling."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from community.core.outbox import drain_all
from community.extensions import db
from community.membership.models import MembershipRequest
from tests import factories
from tests.e2e.layout import assert_no_horizontal_overflow, assert_tap_targets_large_enough
from tests.e2e.navigation import open_from_navigation

pytestmark = pytest.mark.e2e


def fill_request_form(page: Page, **overrides: str) -> dict[str, str]:
    values = {
        "Full name": "Ada Lovelace",
        "Work email": "ada@analytical-engines.com",
        "Job title": "Chief Marketing Officer",
        "Company": "Analytical Engines",
        "Region": "Europe",
        "Why do you want to join?": "I lead social strategy and want peers who do the same.",
        **overrides,
    }
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    return values


def stored_requests() -> list[MembershipRequest]:
    drain_all()  # the worker records what the form queued within seconds of its answer
    db.session.expire_all()
    return list(db.session.scalars(select(MembershipRequest).order_by(MembershipRequest.id)))


def test_visitor_requests_membership(page: Page, screenshot: Callable) -> None:
    page.goto("/")
    page.get_by_role("link", name="Request membership").first.click()
    expect(page.get_by_role("heading", name="Request membership", level=1)).to_be_visible()
    fill_request_form(page)
    page.get_by_label("Level", exact=True).select_option("SVP")
    page.get_by_label("Profile link (optional)").fill("https://example.org/in/ada")
    screenshot("filled")
    page.get_by_role("button", name="Send my request").click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("Against the current policy")).to_have_count(0)
    screenshot("received")
    [stored] = stored_requests()
    assert (stored.email, stored.level, stored.eligible) == (
        "ada@analytical-engines.com",
        "svp",
        True,
    )


def test_ineligible_level_names_the_failed_rule(page: Page, screenshot: Callable) -> None:
    page.goto("/apply")
    fill_request_form(page, **{"Work email": "bob@bigco.com", "Full name": "Bob Manager"})
    page.get_by_label("Level", exact=True).select_option("manager")
    page.get_by_role("button", name="Send my request").click()

    notice = page.locator(".notice")
    expect(notice.get_by_role("heading", name="Against the current policy")).to_be_visible()
    expect(notice).to_contain_text("Manager is not among them")
    screenshot()
    [stored] = stored_requests()
    assert not stored.eligible


def test_missing_field_is_flagged_and_typing_is_kept(page: Page, screenshot: Callable) -> None:
    page.goto("/apply")
    typed = fill_request_form(page, Company="")
    page.get_by_label("Level", exact=True).select_option("c_suite")
    page.get_by_role("button", name="Send my request").click()

    company = page.locator(".field.has-error")
    expect(company).to_have_count(1)
    expect(company.get_by_label("Company")).to_be_visible()
    expect(company.locator(".error")).to_have_text("This field is required.")
    for label, value in typed.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    expect(page.get_by_label("Level", exact=True)).to_have_value("c_suite")
    screenshot()
    assert stored_requests() == []


def test_moderator_approves_one_request_and_declines_another(
    page: Page, screenshot: Callable, sign_in: Callable[[str], None]
) -> None:
    moderator = factories.make_member("moderator")
    factories.make_request(name="Grace Hopper", email="grace@navy-systems.com", level="evp")
    sign_in(moderator.email)

    open_from_navigation(page, "Moderation")
    expect(page).to_have_url(re.compile(r"/moderation/requests$"))
    card = page.locator("li.request", has_text="Grace Hopper")
    expect(card.get_by_text(re.compile(r"Meets policy v\d+"))).to_be_visible()
    screenshot("queue")
    card.get_by_role("link", name="Review").click()

    expect(page.get_by_role("heading", name="Grace Hopper", level=1)).to_be_visible()
    expect(page.get_by_text("grace@navy-systems.com")).to_be_visible()
    screenshot("request")
    page.get_by_role("button", name="Approve and invite").click()

    expect(page.get_by_role("status")).to_contain_text("Approved")
    expect(page.get_by_role("heading", name="The queue is empty")).to_be_visible()

    factories.make_request(name="Vendor Vic", email="vic@sales-tools.com", level="manager")
    page.reload()
    card = page.locator("li.request", has_text="Vendor Vic")
    expect(card.get_by_text(re.compile(r"Outside policy v\d+"))).to_be_visible()
    expect(card.locator(".rule")).to_contain_text("Manager is not among them")
    card.get_by_role("link", name="Review").click()

    decline = page.locator("form", has=page.get_by_role("heading", name="Decline"))
    decline.get_by_role("button", name="Decline").click()
    expect(decline.locator(".error")).to_have_text("Choose a reason for declining.")
    decline = page.locator("form", has=page.get_by_role("heading", name="Decline"))
    decline.get_by_label("Reason").select_option("vendor")
    decline.get_by_label("Personal message (optional)").fill("We keep sales out of the council.")
    decline.get_by_role("button", name="Decline").click()

    expect(page.get_by_role("status")).to_contain_text("Declined")
    expect(page.get_by_role("heading", name="The queue is empty")).to_be_visible()
    screenshot("empty")
    grace, vic = stored_requests()
    assert (grace.status, vic.status, vic.decline_category) == ("approved", "declined", "vendor")


def test_pages_fit_the_screen_without_sideways_scrolling(
    page: Page, viewport: str, screenshot: Callable, sign_in: Callable[[str], None]
) -> None:
    moderator = factories.make_member(
        "moderator", name="Maximiliana Featherstonehaugh-Wolfeschlegelsteinhausen"
    )
    for n in range(3):
        factories.make_member(tier_slug=["council", "executive", "strategist"][n])
    outcome = factories.make_request(
        name="Bartholomew Oluwaseun Castellanos-Featherstonehaugh",
        email="bartholomew.castellanos-featherstonehaugh@international-conglomerate.com",
        title="Executive Vice President, Global Social Strategy and Communications",
        level="director",
        company="International Conglomerate Holdings and Subsidiaries",
        profile_url="https://www.linkedin.example.org/in/bartholomew-castellanos-featherstonehaugh-1234567890",
        reason="A long reason without many breaks: " + "socialstrategy" * 12,
    )
    factories.make_request(email="someone@gmail.com", level="manager")

    def check(path: str, step: str) -> None:
        page.goto(path)
        assert_no_horizontal_overflow(page)
        if viewport == "phone":
            assert_tap_targets_large_enough(page)
        screenshot(step)

    check("/", "landing")
    check("/apply", "apply")
    page.get_by_role("button", name="Send my request").click()
    assert_no_horizontal_overflow(page)
    screenshot("apply-errors")
    check("/login", "login")
    sign_in(moderator.email)
    check("/", "home")
    check("/moderation/requests", "queue")
    check(f"/moderation/requests/{outcome.request.id}", "request")
    check("/moderation/members", "members")
