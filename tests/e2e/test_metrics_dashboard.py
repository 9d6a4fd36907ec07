"""The owners' dashboard in the browser at phone (390 px) and desktop (1366 px) widths: the
charts are drawn (pixels on the canvas, not an empty box) and nothing scrolls sideways."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.metrics.models import MetricEvent
from community.metrics.rollups import rollup_day
from tests import factories
from tests.e2e.conftest import PHONE_AND_LAPTOP, SCREENSHOTS, TIMEOUT_MS, sign_in_on
from tests.e2e.layout import assert_no_horizontal_overflow

pytestmark = pytest.mark.e2e

# Non-transparent pixels on the canvas: Chart.js drew something.
DRAWN_PIXELS = """(canvas) => {
  const { width, height } = canvas;
  if (!width || !height) return 0;
  const data = canvas.getContext("2d").getImageData(0, 0, width, height).data;
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]) drawn++;
  return drawn;
}"""


def seed_activity(days: int = 30) -> None:
    today = utcnow().date()
    members = [factories.make_member() for _ in range(6)]
    for n in range(days):
        for k, member in enumerate(members):
            if (n + k) % 3:
                continue
            for action, kind in (("visit", "site"), ("reply", "post")):
                db.session.add(
                    MetricEvent(
                        member_id=member.id,
                        action=action,
                        object_type=kind,
                        object_id=n + 1,
                        day=today - timedelta(days=n),
                        created_at=utcnow(),
                    )
                )
    commit()
    for n in range(days):
        rollup_day(today - timedelta(days=n))


@pytest.mark.parametrize("width", list(PHONE_AND_LAPTOP))
def test_the_dashboard_draws_its_charts_and_fits_the_screen(
    app, browser: Browser, live_server: str, width: str
) -> None:
    owner = factories.make_member("owner", name="Olga Owner")
    seed_activity()
    context = browser.new_context(base_url=live_server, **PHONE_AND_LAPTOP[width])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        sign_in_on(page, owner.email)
        page.goto("/admin/metrics?period=30")
        expect(page.get_by_role("heading", name="Engagement metrics")).to_be_visible()
        chart = page.locator('#report-active canvas[data-chart="chart-active"]')
        expect(chart).to_be_visible()
        page.wait_for_function(
            "(canvas) => window.Chart && Chart.getChart(canvas)", arg=chart.element_handle()
        )
        assert chart.evaluate(DRAWN_PIXELS) > 1000
        box = chart.bounding_box()
        assert box is not None and box["width"] <= PHONE_AND_LAPTOP[width]["viewport"]["width"]
        assert_no_horizontal_overflow(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"metrics-dashboard-{width}.png"), full_page=True)
    finally:
        context.close()
