"""Engagement events: counted per object, and at most once a day where asked."""

from __future__ import annotations

from community.metrics.services import counts_for, record, record_now
from tests import factories


def test_views_count_once_per_member_per_day_and_downloads_every_time(app):
    reader, other = factories.make_member(), factories.make_member()
    assert record_now(reader, "view", "resource", 7, once_per_day=True)
    assert not record_now(reader, "view", "resource", 7, once_per_day=True)
    assert record_now(other, "view", "resource", 7, once_per_day=True)
    for _ in range(2):
        record_now(reader, "download", "resource", 7, once_per_day=False)
    record_now(reader, "view", "resource", 8, once_per_day=True)
    assert counts_for("resource", 7) == {"view": 2, "download": 2}
    assert counts_for("event", 7) == {}


def test_record_joins_the_callers_unit_of_work(app):
    from community.extensions import db

    reader = factories.make_member()
    record(reader, "rsvp", "event", 3)
    db.session.rollback()
    assert counts_for("event", 3) == {}
