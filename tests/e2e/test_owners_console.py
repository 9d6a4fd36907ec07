"""The owners' console in the browser at phone (390 px) and laptop (1366 px) widths: change a
member's tier with a reason, resend and revoke an invitation, preview and send an
announcement; each page fits the screen without scrolling sideways."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.extensions import db
from community.members.models import Member
from community.membership.models import Invitation
from community.membership.services import approve_request
from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow

pytestmark = pytest.mark.e2e


@pytest.fixture(params=list(PHONE_AND_LAPTOP))
def owner_page(request, app, browser: Browser, live_server: str) -> Iterator[Page]:
    """A signed-in owner's page at the parametrized width."""
    owner = factories.make_member("owner", name="Olga Owner")
    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[request.param])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.width_name = request.param  # type: ignore[attr-defined]
    try:
        sign_in_on(page, owner.email)
        yield page
    finally:
        context.close()


def fits_and_shoot(page: Page, name: str) -> None:
    assert_no_horizontal_overflow(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.width_name  # type: ignore[attr-defined]
    page.screenshot(path=str(SCREENSHOTS / f"owners-{name}-{width}.png"), full_page=True)


def test_an_owner_changes_a_members_tier_with_a_reason(owner_page: Page) -> None:
    page = owner_page
    member = factories.make_member(tier_slug="council", name="Tess Tiered")
    page.goto("/admin/members")
    fits_and_shoot(page, "members")
    page.get_by_role("link", name="Tess Tiered").click()
    tier_card = page.locator("form", has=page.get_by_role("heading", name="Tier"))
    tier_card.get_by_label("Tier").select_option(label="Executive")
    tier_card.get_by_role("button", name="Change tier").click()
    # No reason: a form error, and the choice made is still there.
    expect(tier_card.get_by_text("This field is required.")).to_be_visible()
    expect(tier_card.get_by_label("Tier")).to_have_value("executive")
    tier_card.get_by_label("Reason (kept in the audit log)").fill("Promoted to VP in March.")
    tier_card.get_by_role("button", name="Change tier").click()
    expect(page.get_by_text("Saved, and the member is told.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Tier: Executive"))).to_be_visible()
    fits_and_shoot(page, "member")
    db.session.expire_all()
    assert db.session.get(Member, member.id).tier.slug == "executive"
    reasons = db.session.scalars(
        select(AuditEntry.reason).where(AuditEntry.target_id == member.id)
    ).all()
    assert "Promoted to VP in March." in reasons


def test_an_owner_resends_then_revokes_an_invitation(owner_page: Page) -> None:
    page = owner_page
    moderator = factories.make_member("moderator", name="Mo Moderator")
    request = factories.make_request(
        level="vp", email="guest@prospect.example", name="Gina Guest"
    ).request
    first, _token = approve_request(moderator, request.id)
    old_hash = first.token_hash
    page.goto("/admin/invitations")
    row = page.get_by_role("row", name=re.compile("Gina Guest"))
    expect(row.get_by_text("Pending")).to_be_visible()
    fits_and_shoot(page, "invitations")
    row.get_by_role("button", name="Resend").click()
    expect(page.get_by_text("Sent again with a new link")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Invitation, first.id).token_hash != old_hash  # the old link is void
    page.get_by_role("row", name=re.compile("Gina Guest")).get_by_role(
        "button", name="Revoke"
    ).click()
    expect(page.get_by_text("Revoked; its link now answers")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Gina Guest"))
    expect(row.get_by_text("Revoked")).to_be_visible()
    expect(row.get_by_role("button", name="Resend")).to_have_count(0)
    fits_and_shoot(page, "invitations-revoked")


def test_an_owner_previews_then_sends_an_announcement(owner_page: Page) -> None:
    page = owner_page
    for _ in range(2):
        factories.make_member()
    page.goto("/admin/announcements")
    page.get_by_label("Announcement (one line)").fill("The spring roundtable is open.")
    page.get_by_label("Link on this site").fill("https://elsewhere.example/")
    page.get_by_role("button", name="Preview").click()
    # A link off the site is refused, and the text typed is kept.
    expect(page.get_by_role("alert").or_(page.locator(".error")).first).to_be_visible()
    expect(page.get_by_label("Announcement (one line)")).to_have_value(
        "The spring roundtable is open."
    )
    page.get_by_label("Link on this site").fill("/events")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview.get_by_text("The spring roundtable is open.")).to_be_visible()
    fits_and_shoot(page, "announcement-preview")
    page.get_by_role("button", name=re.compile(r"^Send to \d+ members?$")).click()
    expect(page.get_by_text(re.compile(r"Announced to \d+ members?\."))).to_be_visible()
    fits_and_shoot(page, "announcement-sent")
