"""In the browser: the account page fits a 390 px phone and a 1366 px desktop, and its
time-zone select starts on the browser's own zone for a member who has not chosen one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from community.extensions import db
from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, TIMEOUT_MS, sign_in_on
from tests.e2e.test_two_factor_enrolment import check_layout

pytestmark = pytest.mark.e2e


@pytest.fixture(params=list(PHONE_AND_LAPTOP))
def tokyo_page(request, browser: Browser, live_server: str) -> Iterator[tuple[Page, str]]:
    context = browser.new_context(
        base_url=live_server, timezone_id="Asia/Tokyo", **PHONE_AND_LAPTOP[request.param]
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, request.param
    finally:
        context.close()
    assert not errors, errors


def test_the_time_zone_setting_starts_on_the_browsers_zone(tokyo_page) -> None:
    page, width = tokyo_page
    member = factories.make_member()
    sign_in_on(page, member.email)

    page.goto("/settings/account")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    check_layout(page, "account", width)
    page.get_by_role("button", name="Save the time zone").click()

    expect(page.get_by_text("Times are now shown in Asia/Tokyo.")).to_be_visible()
    db.session.refresh(member)
    assert member.time_zone == "Asia/Tokyo"
