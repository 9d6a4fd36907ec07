"""Each report's definitions, checked against small data sets worked out by hand."""

from __future__ import annotations

from datetime import timedelta

from community.core.clock import utcnow
from community.core.events import commit
from community.metrics.catalogue import build_report
from community.metrics.periods import Period
from community.metrics.rollups import rollup_day
from tests import factories
from tests.factories.metrics import add_metric_event

TODAY = utcnow().date()
DAY1 = TODAY - timedelta(days=20)


def days(n: int):
    return DAY1 + timedelta(days=n)


def add_events(*events: tuple) -> None:
    """(member, action, object_type, object_id, day) rows, then the rollup of those days."""
    for member, action, object_type, object_id, day in events:
        add_metric_event(member, action, object_type, object_id, day)
    commit()
    for day in sorted({event[4] for event in events}):
        rollup_day(day)


def figures(report) -> dict[str, float | None]:
    return {figure.label: figure.value for figure in report.figures}


def test_dau_counts_a_member_once_a_day_and_stickiness_averages_dau_over_mau(app):
    ann, bob = factories.make_member(), factories.make_member()
    add_events(
        (ann, "visit", "site", 0, days(0)),
        (ann, "view", "thread", 1, days(0)),  # a second event the same day: still one member
        (bob, "visit", "site", 0, days(0)),
        (ann, "visit", "site", 0, days(1)),
        (ann, "visit", "site", 0, days(2)),
    )
    report = build_report("active", Period(days(0), days(2), "custom"))
    # DAU (2 + 1 + 1) / 3; MAU on each day is 2; stickiness (2/2 + 1/2 + 1/2) / 3.
    assert figures(report) == {"DAU": 1.3, "WAU": 2, "MAU": 2, "Stickiness": 66.7}
    assert report.rows[0] == [days(0).isoformat(), 2, 2, 100.0]
    # The previous three days had nobody.
    assert [f.previous for f in report.figures] == [0.0, 0, 0, None]


def test_ninety_nine_one_and_the_top_tenth_share(app):
    creator, replier, reader = (factories.make_member() for _ in range(3))
    add_events(
        (creator, "post", "thread", 1, days(0)),
        (creator, "reply", "post", 5, days(0)),
        (creator, "reply", "post", 6, days(1)),
        (replier, "reply", "post", 7, days(1)),
        (reader, "visit", "site", 0, days(1)),
    )
    report = build_report("participation", Period(days(0), days(1), "custom"))
    found = figures(report)
    assert found["Threads a day"] == 0.5  # 1 thread over 2 days
    assert found["Posts a day"] == 2.0  # 4 posts over 2 days
    assert found["New contributors"] == 2
    assert (found["Creators"], found["Contributors"], found["Readers"]) == (33.3, 33.3, 33.3)
    # Two posters: the top 10% rounds up to one member, the creator, with 3 of 4 posts.
    assert found["Top 10% share"] == 75.0
    assert report.rows == [
        [days(0).isoformat(), 1, 1, 2, 1],
        [days(1).isoformat(), 0, 2, 2, 2],
    ]


def test_time_to_first_reply_leaves_out_the_authors_own_replies(app):
    author, peer = factories.make_member(), factories.make_member()
    community = factories.make_community()
    started = utcnow() - timedelta(days=3)
    answered_late = factories.start_thread(author, community, "Board reporting", "How?")
    answered_fast = factories.start_thread(author, community, "Hiring a CFO", "Advice?")
    unanswered = factories.start_thread(author, community, "Pricing models", "Anyone?")
    own = factories.add_posts(answered_late, author, 1)[0]
    late = factories.add_posts(answered_late, peer, 1)[0]
    fast = factories.add_posts(answered_fast, peer, 1)[0]
    factories.add_posts(unanswered, author, 1)  # talking to oneself is no answer
    for thread in (answered_late, answered_fast, unanswered):
        thread.created_at = started
    own.created_at = started + timedelta(hours=1)
    late.created_at = started + timedelta(hours=3)
    fast.created_at = started + timedelta(hours=1)
    commit()
    report = build_report("responsiveness", Period(TODAY - timedelta(days=6), TODAY, "custom"))
    assert figures(report) == {
        "Median time to first reply": 2.0,  # of 3 h and 1 h
        "90th percentile": 3.0,
        "Response rate": 66.7,
    }
    assert [row[:2] for row in report.rows] == [[unanswered.id, "Pricing models"]]


def test_searches_group_the_same_words_and_list_the_misses(app):
    ann, bob = factories.make_member(), factories.make_member()
    for member, words, found in (
        (ann, "Board pay", 0),
        (bob, " board pay", 0),
        (ann, "hiring", 4),
    ):
        add_metric_event(member, "search", "all", day=TODAY, detail=words, quantity=found)
    commit()
    period = Period(TODAY, TODAY, "custom")
    assert build_report("searches", period).rows == [["board pay", 2, 2, 2], ["hiring", 1, 0, 1]]
    assert build_report("search-misses", period).rows == [["board pay", 2, 2, 2]]
    assert figures(build_report("searches", period)) == {"Searches": 3, "Without results": 66.7}


def test_todays_events_count_before_the_rollup_job_has_run(app):
    """The rollup runs every ten minutes; the dashboard must not lag it."""
    ann, bob = factories.make_member(), factories.make_member()
    add_events((ann, "visit", "site", 0, TODAY - timedelta(days=1)))
    for member, action, object_type in ((ann, "visit", "site"), (bob, "visit", "site")):
        add_metric_event(member, action, object_type, day=TODAY)
    add_metric_event(bob, "reply", "post", 1, TODAY)
    commit()  # no rollup of today
    period = Period(TODAY - timedelta(days=1), TODAY, "custom")
    active = build_report("active", period)
    assert active.rows == [[days_ago(1), 1, 1, 100.0], [days_ago(0), 2, 2, 100.0]]
    participation = build_report("participation", period)
    assert participation.rows[-1] == [days_ago(0), 0, 1, 1, 1]


def days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()
