"""Engagement events: counted per object, and at most once a day where asked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum import reactions
from community.forum import services as forum
from community.members.models import Member
from community.metrics.events import discard_pending, flush_activity, note, prune_activity
from community.metrics.models import MemberDay, MetricEvent
from community.metrics.services import counts_for, record, record_now
from tests import factories
from tests.factories.metrics import add_metric_event


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


def _events(action: str) -> list[MetricEvent]:
    return list(db.session.scalars(select(MetricEvent).where(MetricEvent.action == action)))


def test_a_thread_page_view_waits_for_the_flush_and_counts_once_a_day(app, as_member):
    client, reader = as_member()
    author = factories.make_member()
    community = factories.make_community()
    thread = factories.start_thread(author, community, "Board reporting", "How often?")
    for _ in range(2):
        assert client.get(f"/t/{thread.id}").status_code == 200
    assert _events("view") == []  # the page wrote nothing: the buffer holds it
    flush_activity()
    views = _events("view")
    assert [(v.member_id, v.object_type, v.object_id) for v in views] == [
        (reader.id, "thread", thread.id)
    ]
    assert views[0].community_id == community.id
    assert [v.member_id for v in _events("visit")] == [reader.id]
    assert db.session.get(Member, reader.id).last_seen_at is not None
    # Another process (or this one after a restart) does not add a second view today.
    discard_pending(app)
    client.get(f"/t/{thread.id}")
    flush_activity()
    assert len(_events("view")) == 1
    assert client.get("/t/999999").status_code == 404
    flush_activity()
    assert len(_events("view")) == 1  # a missing thread is no view


def test_a_flush_writes_its_events_in_one_statement_nones_and_all(app):
    """Events with and without a community, member or quantity, mixed as a page and a search
    leave them: one INSERT for the lot (the ORM's bulk insert split them by which values were
    None, a statement for every two or three events)."""
    member = factories.make_member()
    community = factories.make_community()
    for n in range(6):
        note(member.id, "visit", "site", 0)
        note(member.id, "view", "thread", n, community_id=community.id)
        note(None, "search", "all", 0, detail="board", quantity=n)
    inserts: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO metric_event"):
            inserts.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        flush_activity()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(inserts) == 1
    assert [(e.member_id, e.community_id, e.quantity) for e in _events("search")] == [
        (None, None, n) for n in range(6)
    ]
    assert {(e.community_id, e.quantity) for e in _events("view")} == {(community.id, None)}
    assert len(_events("visit")) == 6


def test_posts_replies_and_reactions_are_recorded_after_their_commit(app):
    author, peer = factories.make_member(), factories.make_member()
    thread = factories.start_thread(author, factories.make_community(), "Hiring", "A CFO?")
    reply = forum.reply(peer, thread.id, "We hired from within.")
    reactions.toggle_reaction(author, reply.id, "insightful")
    flush_activity()
    assert [(e.member_id, e.object_id) for e in _events("post")] == [(author.id, thread.id)]
    assert [(e.member_id, e.object_id) for e in _events("reply")] == [(peer.id, reply.id)]
    assert [(e.member_id, e.community_id) for e in _events("react")] == [
        (author.id, thread.community_id)
    ]


def test_rollups_equal_a_recomputation_and_old_events_are_pruned(app):
    app.config["METRICS_RETENTION_DAYS"] = 5  # rebuilding a year of empty days proves no more
    member = factories.make_member()
    today = utcnow().date()
    old = today - timedelta(days=app.config["METRICS_RETENTION_DAYS"] + 1)
    for day in (old, today):
        add_metric_event(member, day=day)
    commit()
    result = app.test_cli_runner().invoke(args=["metrics", "rollup", "--since", old.isoformat()])
    assert result.exit_code == 0, result.output
    days = db.session.scalars(select(MemberDay.day).order_by(MemberDay.day)).all()
    assert days == [today]  # the pruned day is not rebuilt (it would erase its rollup)
    assert prune_activity() == 1
    assert [e.day for e in _events("visit")] == [today]
