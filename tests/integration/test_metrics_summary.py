"""The weekly owners' summary: headline figures and their change, through the job and the
real mail queue, once a week."""

from __future__ import annotations

from datetime import timedelta

from community.core.clock import utcnow
from community.core.events import commit
from community.metrics.rollups import rollup_day
from community.metrics.summary import send_weekly_summary
from tests import factories
from tests.factories.metrics import add_metric_event

TODAY = utcnow().date()


def visit(member, days_ago: int) -> None:
    add_metric_event(member, day=TODAY - timedelta(days=days_ago))


def test_owners_get_the_weeks_headlines_with_their_change_once_a_week(app, outbox):
    owner = factories.make_member("owner", name="Olga Owner")
    factories.make_member("moderator")  # not an owner: no summary
    members = [factories.make_member() for _ in range(3)]
    for member in members:  # this week: three members came on day 1
        visit(member, 1)
    visit(members[0], 8)  # the week before: one member, once
    commit()
    for days_ago in (1, 8):
        rollup_day(TODAY - timedelta(days=days_ago))

    assert send_weekly_summary() == 1
    (message,) = outbox.messages
    assert message["To"] == owner.email
    assert message["Subject"].startswith("Council this week:")
    text = outbox.text(message)
    # DAU: 3 members on one of 7 days = 0.4 against 1 of 7 = 0.1; WAU 3 against 1.
    assert "- DAU: 0.4 (before: 0.1, +0.3)" in text
    assert "- WAU: 3 (before: 1, +2)" in text
    assert "/admin/metrics?period=7" in text

    outbox.clear()
    assert send_weekly_summary() == 0  # the same week: nothing more
    assert outbox.messages == []
