"""Retention cohorts and community health, on hand-built data with the numbers worked out."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum.models import Post
from community.metrics.catalogue import build_report
from community.metrics.history import against_usual, z_score
from community.metrics.periods import last_days
from community.metrics.rollups import rollup_day
from tests import factories
from tests.factories.metrics import add_metric_event

TODAY = utcnow().date()


def visit(member, day) -> None:
    add_metric_event(member, day=day)


def test_retention_by_join_month_with_small_cohorts_suppressed(app):
    this_month = TODAY.replace(day=1)
    last_month_day = (this_month - timedelta(days=1)).replace(day=2)
    joined_before = [factories.make_member() for _ in range(6)]
    for member in joined_before:
        member.created_at = datetime.combine(last_month_day, time(9), tzinfo=UTC)
    joined_now = [factories.make_member() for _ in range(2)]
    for member in joined_before[:5]:
        visit(member, last_month_day)
    for member in joined_before[1:]:
        visit(member, TODAY)  # today: counted live
    visit(joined_now[0], TODAY)
    commit()
    rollup_day(last_month_day)

    rows = build_report("retention", last_days(7)).rows
    assert rows == [
        # 6 joined last month; 5 came that month (83.3 %), 5 this month.
        [last_month_day.strftime("%Y-%m"), 6, 83.3, 83.3] + [""] * 10,
        # 2 joined this month: a cohort under the floor shows nothing.
        [TODAY.strftime("%Y-%m"), "<5", "<5"] + [""] * 11,
    ]


def backdate(thread, days_ago: int) -> None:
    """Move a thread and all its posts ``days_ago`` days back."""
    when = utcnow() - timedelta(days=days_ago)
    thread.created_at = when
    for post in db.session.scalars(select(Post).where(Post.thread_id == thread.id)):
        post.created_at = when


def test_health_scores_each_part_against_the_communitys_own_usual(app):
    community = factories.make_community(slug="growth", name="Growth")
    a, b, c, d = (factories.make_member() for _ in range(4))
    a.created_at = utcnow() - timedelta(days=90)  # past the new members' thread limit
    for week in range(1, 5):  # the four weeks before: one thread, two posts, answered
        thread = factories.start_thread(a, community, f"Week {week}", "Opening words here.")
        factories.add_posts(thread, b, 1)
        backdate(thread, 7 * week + 3)
    thread = factories.start_thread(a, community, "This week", "Opening words here.")
    for member in (b, c, d):
        factories.add_posts(thread, member, 1)
    commit()

    rows = build_report("health", last_days(7)).rows
    # posters 4 vs usually 2: 100; posts 4 vs 2: 100; answered 100 % vs 100 %: 50;
    # no reactions and no views, now or before: no score. Health (100 + 100 + 50) / 3.
    assert rows == [["Growth", 83.3, "<5", 4, 100.0, 0.0, 0]]


def test_the_scales_for_history():
    assert against_usual(4, [2, 2, 2, 2]) == 100.0
    assert against_usual(1, [2, 2, 2, 2]) == 25.0
    assert against_usual(0, [0, 0]) is None
    assert against_usual(3, [0, 0]) == 100.0
    # 10 against a history of mean 2, spread 0 (floored to 1): 8 deviations.
    assert z_score(10, [2, 2, 2, 2]) == 8.0
    # 10 against 0, 4, 0, 4: mean 2, spread 2: 4 deviations.
    assert z_score(10, [0, 4, 0, 4]) == 4.0
