"""The rollup job counts before it writes: on SQLite a transaction holds the one write lock
from its first write to its commit, and the web worker's writes wait for it, so no counting
(the events' sums, the sentiment of every post, the council's figures) may happen in between."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session

from community.core.clock import utcnow
from community.extensions import db
from community.metrics.rollups import rollup_recent
from tests import factories
from tests.factories.metrics import add_metric_event

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_no_rollup_transaction_reads_after_its_first_write(app):
    community = factories.make_community()
    members = [factories.make_member() for _ in range(3)]
    thread = factories.start_thread(members[0], community, "Moods", "A great and happy start.")
    factories.add_posts(thread, members[1], 3)
    for days_ago in range(0, 40, 3):
        for member in members:
            add_metric_event(member, day=utcnow().date() - timedelta(days=days_ago))
    db.session.commit()

    transactions: list[list[str]] = [[]]

    def executed(_connection, _cursor, statement, *_args) -> None:
        transactions[-1].append(statement.lstrip().split(None, 1)[0].upper())

    def committed(_session) -> None:
        transactions.append([])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", executed)
    event.listen(Session, "after_commit", committed)
    try:
        rollup_recent()
    finally:
        event.remove(engine, "before_cursor_execute", executed)
        event.remove(Session, "after_commit", committed)

    written = [statements for statements in transactions if set(statements) & set(WRITES)]
    assert written  # the job wrote its rows
    for statements in written:
        first_write = next(n for n, kind in enumerate(statements) if kind in WRITES)
        assert "SELECT" not in statements[first_write:], statements
