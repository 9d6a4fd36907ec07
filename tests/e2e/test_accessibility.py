"""axe-core on the main pages, at 390 px and 1366 px: zero violations.

axe-core is vendored under ``tests/e2e/vendor/`` (a test-only asset, never served to members)
and injected into each page after it loads. One browser, one sign-in: the owner sees every
page (moderation queue and metrics included); a visitor sees the landing and sign-in pages.
Each failure prints the rule's id, what it means and where it was found.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from community.forum import services
from community.moderation import flags
from tests import factories
from tests.conftest import run_queued_work
from tests.e2e.conftest import PHONE_AND_LAPTOP, TIMEOUT_MS, sign_in_on

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, one main, headings in order).
AXE_RUN = """() => axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations"],
}).then(results => results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
})))"""


@pytest.fixture
def council(app) -> dict[str, str]:
    """One of everything the main pages show, and the address of each page to check."""
    app.config["NEW_MEMBER_DAYS"] = 0
    owner = factories.make_member("owner", name="Olive Owner")
    peer = factories.make_member(name="Pat Peer")
    community = factories.make_community("listening", name="Social listening")
    thread = services.create_thread(
        owner, community, "Listening tools: build or buy?", "Our shortlist is down to two."
    )
    reply = services.reply(peer, thread.id, "We bought, and **regret** nothing.")
    flags.flag_post(owner, reply.id, "off_topic", "Belongs in procurement.")
    resource = factories.make_resource(owner, "A one-page social dashboard", topics="Crisis")
    event = factories.make_event(owner)
    run_queued_work()
    return {
        "home": "/",
        "communities": "/c/",
        "community": f"/c/{community.slug}",
        "thread": f"/t/{thread.id}",
        "library": "/library",
        "resource": f"/library/{resource.id}",
        "events": "/events",
        "event": f"/events/{event.id}",
        "notifications": "/notifications",
        "settings": "/settings/profile",
        "search": "/search?q=listening",
        "moderation queue": "/moderation/flags",
        "admin metrics": "/admin/metrics",
        "owner": owner.email,
    }


def violations_on(page: Page, address: str) -> list[str]:
    """axe's violations on ``address`` at 390 px and at 1366 px, one line per rule.

    The page is loaded and axe injected once, then the window resized: the layout answers
    to the width (media queries), and one load instead of two halves the test's time.
    """
    response = page.goto(address)
    assert response is not None and response.ok, f"{address}: {response and response.status}"
    page.add_script_tag(path=str(AXE))
    problems = []
    for width, options in PHONE_AND_LAPTOP.items():
        page.set_viewport_size(options["viewport"])
        problems += [
            f"{address} at {width} [{v['impact']}] {v['id']}: {v['help']}\n    "
            + "\n    ".join(v["nodes"])
            for v in page.evaluate(AXE_RUN)
        ]
    return problems


def new_page(browser: Browser, live_server: str, **kwargs: object) -> Page:
    """A page whose context lets axe in: the app's CSP rightly refuses inline scripts, and
    injecting axe is one."""
    context = browser.new_context(base_url=live_server, bypass_csp=True, **kwargs)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def test_main_pages_have_no_axe_violations(
    browser: Browser, live_server: str, council: dict[str, str]
) -> None:
    owner_email = council.pop("owner")
    problems: list[str] = []
    visitor = new_page(browser, live_server)
    for address in ("/", "/login"):
        problems += violations_on(visitor, address)
    visitor.context.close()

    owner = new_page(browser, live_server)
    sign_in_on(owner, owner_email)
    for address in council.values():
        problems += violations_on(owner, address)
    owner.context.close()
    assert not problems, "axe-core found:\n" + "\n".join(problems)
