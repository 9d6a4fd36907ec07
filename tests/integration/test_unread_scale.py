"""Home, the communities index and a community page cost the same at 50 threads and at 5,000:
the same statements, none of which scans the thread or post tables (they read the member's
tracking rows by index, and a page of a community's threads in its index's order)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, insert

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum import tracking
from community.forum.models import Community, Post, Thread
from tests import factories

PAGES = ("/", "/c/")
# Tables that grow with the forum: a plan may reach their rows only through the member's own
# index range or a primary key, never by a pass over them or over a community's threads.
GROWING = re.compile(r"\b(SCAN|SEARCH) (thread|post|read_position)\b")
# The member's own short ranges of those tables: the threads waiting for their response.
MEMBER_RANGES = ("ix_thread_assignee_waiting (assignee_id=? AND needs_response=?)",)


def seed_threads(community_id: int, author_id: int, count: int) -> None:
    """Bulk insert ``count`` threads of one post each, with the counters the lists show."""
    now = utcnow()
    thread_ids = db.session.scalars(
        insert(Thread).returning(Thread.id, sort_by_parameter_order=True),
        [
            {
                "community_id": community_id,
                "author_id": author_id,
                "title": f"Seeded thread {n}",
                "highest_post_number": 1,
                "post_count": 1,
                "last_posted_at": now - timedelta(minutes=n),
                "last_poster_id": author_id,
            }
            for n in range(count)
        ],
    ).all()
    db.session.execute(
        insert(Post),
        [
            {
                "thread_id": thread_id,
                "number": 1,
                "author_id": author_id,
                "body": "Seeded words.",
                "body_html": "<p>Seeded words.</p>",
            }
            for thread_id in thread_ids
        ],
    )
    community = db.session.get(Community, community_id)
    community.thread_count += count
    community.post_count += count
    commit()


def statements_of(client, url: str) -> list[tuple[str, object]]:
    db.session.remove()  # cold, as a new request is
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return statements


def texts(statements: list[tuple[str, object]]) -> list[str]:
    """The statements' SQL; savepoint names (the test harness's) numbered away."""
    return [re.sub(r"sa_savepoint_\d+", "sa_savepoint", sql) for sql, _ in statements]


def measure(client, viewer_id: int) -> dict[str, list[tuple[str, object]]]:
    tracking.mark_stale(viewer_id)  # the bulk insert bypassed the posting path: build again
    commit()
    client.get("/")
    return {url: statements_of(client, url) for url in PAGES}


def test_home_and_communities_issue_the_same_statements_at_50_and_5000_threads(app, as_member):
    client, viewer = as_member()
    community, author = factories.make_community(), factories.make_member()
    ids = (viewer.id, community.id, author.id)
    seed_threads(community.id, author.id, 50)
    small = measure(client, ids[0])
    seed_threads(ids[1], ids[2], 4950)
    large = measure(client, ids[0])

    for url in PAGES:
        assert texts(large[url]) == texts(small[url]), url
    page = client.get("/c/").get_data(as_text=True)
    assert "5000 unread" in page  # the count itself is still every unread post
    home = client.get("/").get_data(as_text=True)
    assert "Seeded thread 0" in home and "Seeded thread 4999" not in home

    if db.engine.dialect.name != "sqlite":
        return
    connection = db.session.connection()
    for url in PAGES:
        for sql, parameters in large[url]:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters).all()
            details = [row[-1] for row in plan]
            assert not any(re.search(r"\bSCAN (thread|post)\b", d) for d in details), details
            growing = [
                d
                for d in details
                if GROWING.search(d)
                and "PRIMARY KEY" not in d
                and not any(d.endswith(member_range) for member_range in MEMBER_RANGES)
            ]
            assert not growing, (url, sql, growing)


def sqlite_steps(client, url: str) -> int:
    """How many SQLite virtual-machine steps (in thousands) a request costs: the work done,
    whatever the machine's load, so a page that reads more rows shows it."""
    raw = db.session.connection().connection.driver_connection
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    raw.set_progress_handler(tick, 1000)
    try:
        assert client.get(url).status_code == 200
    finally:
        raw.set_progress_handler(None, 0)
    return steps[0]


@pytest.mark.sqlite_only(reason="SQLite counts its steps; the statements test above runs on both")
def test_home_and_communities_do_the_same_work_at_50_and_5000_threads(app, as_member):
    client, viewer = as_member()
    community, author = factories.make_community(), factories.make_member()
    ids = (viewer.id, community.id, author.id)
    seed_threads(community.id, author.id, 50)
    measure(client, ids[0])
    small = {url: sqlite_steps(client, url) for url in PAGES}
    seed_threads(ids[1], ids[2], 4950)
    measure(client, ids[0])
    large = {url: sqlite_steps(client, url) for url in PAGES}
    for url in PAGES:
        assert large[url] <= small[url] * 1.2 + 2, (url, small, large)


def test_a_community_page_issues_the_same_statements_at_50_and_5000_threads(app, as_member):
    """A community page lists a page of threads and whether more follow: it does not count
    the community's threads, a cost that would grow with the community."""
    client, viewer = as_member()
    community, author = factories.make_community(), factories.make_member()
    ids, url = (viewer.id, community.id, author.id), f"/c/{community.slug}"
    seed_threads(community.id, author.id, 50)
    measure(client, ids[0])
    small = statements_of(client, url)
    small_steps = sqlite_steps(client, url) if db.engine.dialect.name == "sqlite" else 0
    seed_threads(ids[1], ids[2], 4950)
    measure(client, ids[0])
    large = statements_of(client, url)
    assert texts(large) == texts(small)
    page = client.get(url).get_data(as_text=True)
    assert "Seeded thread 0" in page and 'rel="next"' in page

    if db.engine.dialect.name != "sqlite":
        return
    assert sqlite_steps(client, url) <= small_steps * 1.2 + 2, small_steps
    connection = db.session.connection()
    for sql, parameters in large:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters).all()
        details = [row[-1] for row in plan]
        assert not any(re.search(r"\bSCAN (thread|post)\b", d) for d in details), details
        if any(re.search(r"\bSEARCH thread .*\(community_id=\?", d) for d in details):
            # The community's range is read in the list's order and cut off at a page, never
            # counted or sorted whole.
            assert "LIMIT" in sql and "USE TEMP B-TREE FOR ORDER BY" not in details, (sql, details)
