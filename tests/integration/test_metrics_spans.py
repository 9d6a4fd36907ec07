"""What the rollup job computes ahead for the dashboard (the council's days, members' sums
over the preset periods and months) equals a recomputation from the member rollups, and a
day rolled up again never leaves a stale sum behind."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.metrics.catalogue import build_report
from community.metrics.live import SiteFigures, object_span_sums, site_figures, span_sums
from community.metrics.models import MemberSpan, ObjectSpan, SiteDay
from community.metrics.periods import last_days
from community.metrics.rollups import rollup_day, rollup_recent
from community.metrics.spans import wanted_spans
from tests import factories
from tests.factories.metrics import add_metric_event

TODAY = utcnow().date()


def ago(days: int):
    return TODAY - timedelta(days=days)


def figures(report) -> dict[str, float | None]:
    return {figure.label: figure.value for figure in report.figures}


def test_site_days_and_spans_equal_a_recomputation(app):
    members = [factories.make_member() for _ in range(4)]
    for n, member in enumerate(members):
        for days_ago in range(n, 100, 7 + n):
            add_metric_event(member, day=ago(days_ago))
            if days_ago % 3 == 0:
                add_metric_event(member, "reply", "post", days_ago, ago(days_ago))
    commit()
    result = app.test_cli_runner().invoke(
        args=["metrics", "rollup", "--since", ago(120).isoformat()]
    )
    assert result.exit_code == 0, result.output

    stored = {row.day: row for row in db.session.scalars(select(SiteDay))}
    for day in (ago(n) for n in range(1, 120)):
        recomputed = site_figures(day)
        if not recomputed.members_month:
            assert day not in stored
            continue
        row = stored[day]
        assert SiteFigures.from_row(row) == recomputed
    spans = set(db.session.execute(select(MemberSpan.first, MemberSpan.last).distinct()).all())
    assert spans and {tuple(span) for span in spans} <= wanted_spans(TODAY)
    for first, last in spans:
        kept = db.session.execute(
            select(
                MemberSpan.member_id,
                MemberSpan.views,
                MemberSpan.threads,
                MemberSpan.replies,
                MemberSpan.reactions,
            )
            .where(MemberSpan.first == first, MemberSpan.last == last)
            .order_by(MemberSpan.member_id)
        ).all()
        assert kept == sorted(db.session.execute(span_sums(first, last)).all())


def test_a_day_rolled_up_again_drops_the_sums_that_held_it(app):
    ann, bob = factories.make_member(), factories.make_member()
    add_metric_event(ann, "reply", "post", 1, ago(3))
    commit()
    rollup_day(ago(3))
    rollup_recent()  # keeps the 7-day span ending yesterday: ann alone
    assert figures(build_report("participation", last_days(7)))["Contributors"] == 100.0

    add_metric_event(bob, "visit", "site", 0, ago(2))  # a late event for a finished day
    commit()
    rollup_day(ago(2))
    # Bob came and did not post: half the members of the week contributed, not all.
    assert figures(build_report("participation", last_days(7)))["Contributors"] == 50.0


def test_object_spans_equal_a_recomputation(app):
    members = [factories.make_member() for _ in range(3)]
    for n, member in enumerate(members):
        for days_ago in range(n, 100, 5 + n):
            add_metric_event(member, "view", "thread", 1 + days_ago % 4, ago(days_ago))
            if days_ago % 2:
                add_metric_event(member, "download", "resource", 7, ago(days_ago))
    commit()
    result = app.test_cli_runner().invoke(
        args=["metrics", "rollup", "--since", ago(120).isoformat()]
    )
    assert result.exit_code == 0, result.output

    spans = {
        tuple(span)
        for span in db.session.execute(select(ObjectSpan.first, ObjectSpan.last).distinct())
    }
    assert (ago(89), ago(1)) in spans and spans <= wanted_spans(TODAY)
    for first, last in spans:
        kept = db.session.execute(
            select(
                ObjectSpan.object_type,
                ObjectSpan.object_id,
                ObjectSpan.views,
                ObjectSpan.downloads,
            )
            .where(ObjectSpan.first == first, ObjectSpan.last == last)
            .order_by(ObjectSpan.object_type, ObjectSpan.object_id)
        ).all()
        assert kept == sorted(db.session.execute(object_span_sums(first, last)).all())


def test_top_content_counts_a_late_view_of_a_finished_day(app):
    owner = factories.make_member("owner")
    community = factories.make_community()
    thread = factories.start_thread(owner, community, "Budgets", "Opening words here.")
    add_metric_event(owner, "view", "thread", thread.id, ago(3))
    commit()
    rollup_day(ago(3))
    rollup_recent()  # keeps the 7-day span ending yesterday: one view
    assert [row[4] for row in build_report("content", last_days(7)).rows] == [1]

    add_metric_event(factories.make_member(), "view", "thread", thread.id, ago(2))
    commit()
    rollup_day(ago(2))
    assert [row[4] for row in build_report("content", last_days(7)).rows] == [2]
