"""Pages run a constant number of SQL queries however much data there is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from community.extensions import db
from tests import factories


@contextmanager
def count_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def queries_for(client, url: str) -> int:
    db.session.remove()  # start cold, as a new request in production does
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_review_queue_query_count_does_not_grow_with_requests(as_member):
    client, _ = as_member("moderator")
    factories.make_request(referrer=factories.make_member())
    factories.make_request()
    small = queries_for(client, "/moderation/requests")
    for n in range(60):
        referrer = factories.make_member() if n % 2 else None  # one nomination each, or none
        factories.make_request(referrer=referrer, level="manager" if n % 3 else "vp")
    assert queries_for(client, "/moderation/requests") == small


def test_member_list_query_count_does_not_grow_with_members(as_member):
    client, _ = as_member("moderator")
    small = queries_for(client, "/moderation/members")
    for n in range(60):
        factories.make_member(tier_slug=["council", "executive", "strategist"][n % 3])
    assert queries_for(client, "/moderation/members") == small


def test_audit_log_query_count_does_not_grow_with_entries(as_member):
    from community.core.audit import record_audit
    from community.core.events import commit

    client, _ = as_member("owner")
    small = queries_for(client, "/admin/audit")
    for n in range(80):
        actor = factories.make_member() if n % 10 == 0 else None
        record_audit(actor, "member.suspended", "member", n, target_label=f"Member {n}")
    commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Page 1 of 2" in page
    assert queries_for(client, "/admin/audit") == small
