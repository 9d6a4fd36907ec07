"""Invite quality per inviter and assigned threads answered within the target, each checked
on a small data set worked out by hand, with their CSV."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum.thread_moderation import assign_thread
from community.metrics.catalogue import build_report, report_csv
from community.metrics.events import flush_activity
from community.metrics.models import MetricEvent
from community.metrics.periods import Period
from community.metrics.rollups import rollup_day
from tests import factories
from tests.factories.metrics import add_metric_event

TODAY = utcnow().date()
WEEK = Period(TODAY - timedelta(days=6), TODAY, "custom")


def figures(report) -> dict[str, float | None]:
    return {figure.label: figure.value for figure in report.figures}


def test_invite_quality_counts_who_each_inviter_brought_and_how_active_they_are(app):
    ivy = factories.make_member(name="Ivy Inviter")
    bob = factories.make_member(name="Bob Brings")
    ivys = [factories.make_member() for _ in range(6)]
    bobs = [factories.make_member() for _ in range(2)]
    for inviter, brought in ((ivy, ivys), (bob, bobs)):
        for member in brought:
            member.referrer_id = inviter.id
    day = TODAY - timedelta(days=2)
    for member in ivys[:5]:  # five of Ivy's six came this week
        add_metric_event(member, day=day)
    add_metric_event(ivys[0], "post", "thread", 1, day)
    add_metric_event(ivys[0], "reply", "post", 2, day)
    add_metric_event(ivys[1], "reply", "post", 3, day)
    add_metric_event(bobs[0], day=day)
    commit()
    rollup_day(day)

    report = build_report("invite-quality", WEEK)
    assert report.rows == [
        # 5 of 6 active = 83.3 %; 3 posts over 6 members brought = 0.5.
        ["Ivy Inviter", 6, 5, 83.3, 0.5],
        ["Bob Brings", "<5", "<5", "<5", "<5"],  # two members: under the privacy floor
        ["(applied on their own)", "<5", "<5", "<5", "<5"],  # Ivy and Bob themselves
    ]
    # Of the 8 members brought by somebody, 6 came: 75 %. Nobody had joined a week earlier.
    assert figures(report) == {"Nominees active": 75.0}
    assert [f.previous for f in report.figures] == [None]
    assert report_csv(report).splitlines()[:2] == [
        "inviter,invitees,active_in_period,percent_active,posts_per_invitee",
        "Ivy Inviter,6,5,83.3,0.5",
    ]


def test_assigned_threads_answered_within_the_target_time(app):
    assert app.config["METRICS_ASSIGNED_TARGET_HOURS"] == 24
    moderator = factories.make_member("moderator")
    ann, bob, carl = (factories.make_member() for _ in range(3))
    community = factories.make_community()
    fast, slow, silent, fresh = (
        factories.start_thread(moderator, community, title, "Who knows?")
        for title in ("Fast", "Slow", "Silent", "Fresh")
    )
    for thread, assignee in ((fast, ann), (slow, bob), (silent, ann), (fresh, bob)):
        assign_thread(moderator, thread.id, assignee.handle)
    flush_activity()
    assigned_at = utcnow() - timedelta(days=3)
    events = {
        event.object_id: event
        for event in db.session.scalars(select(MetricEvent).where(MetricEvent.action == "assign"))
    }
    assert {e.quantity for e in events.values()} == {ann.id, bob.id}
    for thread in (fast, slow, silent):  # three days ago; Fresh was assigned just now
        events[thread.id].created_at = assigned_at
        events[thread.id].day = assigned_at.date()
    answers = (
        (fast, ann, 5),  # the assignee, after 5 hours: within the target
        (slow, carl, 1),  # somebody else's reply is not the assignee's answer
        (slow, bob, 30),  # the assignee, after 30 hours: late
    )
    for thread, author, after in answers:
        (post,) = factories.add_posts(thread, author, 1)
        post.created_at = assigned_at + timedelta(hours=after)
    commit()

    report = build_report("assigned", WEEK)
    # Answered in time: Fast. Late: Slow (30 h) and Silent (no answer, 72 h past). Fresh is
    # still inside its 24 hours: neither side. 1 of 3 = 33.3 %; median of 5 h and 30 h.
    assert figures(report) == {"Answered within target": 33.3, "Median time to answer": 17.5}
    assert [row[1:2] + row[4:] for row in report.rows] == [
        ["Fast", 5.0, "yes"],
        ["Slow", 30.0, "no"],
        ["Silent", None, "no"],
        ["Fresh", None, "waiting"],
    ]
    assert report_csv(report).splitlines()[0] == (
        "thread_id,title,community,assigned,hours_to_answer,within_target"
    )
