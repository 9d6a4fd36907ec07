"""Library and events reports, on hand-built events with the numbers worked out here."""

from __future__ import annotations

from datetime import timedelta

from community.core.clock import utcnow
from community.core.events import commit
from community.events.models import Rsvp
from community.extensions import db
from community.metrics.catalogue import build_report
from community.metrics.periods import Period
from community.metrics.rollups import rollup_day
from tests import factories
from tests.factories.metrics import add_metric_event

TODAY = utcnow().date()
WEEK = Period(TODAY - timedelta(days=6), TODAY, "custom")


def event(member, action: str, object_type: str, object_id: int, days_ago: int) -> None:
    add_metric_event(member, action, object_type, object_id, TODAY - timedelta(days=days_ago))


def test_views_readers_downloads_and_completions_per_resource_and_kind(app):
    editor = factories.make_member("editor")
    article = factories.make_resource(editor, "Measuring trust", kind="article")
    paper = factories.make_resource(editor, "Board reporting", kind="white_paper")
    readers = [factories.make_member() for _ in range(6)]
    for member in readers:
        event(member, "view", "resource", article.id, 1)
    event(readers[0], "view", "resource", article.id, 2)  # a second day: 7 views, 6 readers
    event(readers[0], "download", "resource", article.id, 1)
    event(readers[1], "complete", "resource", article.id, 1)
    event(readers[2], "complete", "resource", article.id, 0)
    event(readers[0], "view", "resource", paper.id, 1)
    event(readers[1], "view", "resource", paper.id, 1)
    event(readers[0], "view", "resource", paper.id, 20)  # before the period
    commit()

    rows = build_report("library", WEEK).rows
    assert rows == [
        [article.id, "Article", "Measuring trust", 7, 6, 1, 2],
        [paper.id, "White paper", "Board reporting", 2, "<5", 0, 0],  # 2 readers: suppressed
    ]
    kinds = build_report("library-kinds", WEEK)
    assert kinds.rows == [["Article", 7, 6, 1, 2], ["White paper", 2, "<5", 0, 0]]
    # Six distinct members opened something; the view 20 days ago is before both weeks.
    assert [(f.label, f.value, f.previous) for f in kinds.figures] == [
        ("Library readers", 6, 0),
        ("Completions", 2, 0),
    ]


def test_rsvps_and_attendance_of_the_periods_events(app):
    owner = factories.make_member("owner")
    past = factories.make_event(owner, title="Roundtable")
    past.starts_at = utcnow() - timedelta(days=2)
    past.ends_at = past.starts_at + timedelta(hours=2)
    later = factories.make_event(owner, title="Next month")  # next week: outside the period
    members = [factories.make_member() for _ in range(7)]
    answers = ["going"] * 5 + ["maybe", "not_going"]
    for member, answer in zip(members, answers, strict=True):
        db.session.add(Rsvp(event_id=past.id, member_id=member.id, answer=answer))
        event(member, "rsvp", "event", past.id, 3)
    event(members[0], "rsvp", "event", past.id, 3)  # changed their mind: counts again
    event(members[0], "view", "event", past.id, 3)
    event(members[1], "view", "event", past.id, 3)
    db.session.add(Rsvp(event_id=later.id, member_id=members[0].id, answer="going"))
    commit()
    rollup_day(TODAY - timedelta(days=3))

    report = build_report("events", WEEK)
    day = (utcnow() - timedelta(days=2)).date().isoformat()
    # 2 page views, 8 RSVPs given, 5 going (attended, as it started), 1 maybe (suppressed).
    assert report.rows == [[past.id, "Roundtable", day, 2, 8, 5, "<5", "<5", 5]]
    assert [(f.label, f.value, f.previous) for f in report.figures] == [
        ("RSVPs", 8, 0),
        ("Attendance", 5, 0),
    ]
