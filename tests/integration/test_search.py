"""Search: the page, the index that follows writes, hostile queries, the fallback and the CLI."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from community.core.events import commit
from community.core.outbox import QueuedTask, pending_tasks
from community.extensions import db
from community.forum import services as forum
from community.forum.models import Thread
from community.forum.thread_state import hold_thread
from community.metrics.models import MetricEvent
from community.search import indexing
from tests import factories
from tests.conftest import run_queued_work


@pytest.fixture
def search_index(search_backend):
    """An empty index, as `community search reindex` leaves it (Whoosh under the test's own
    instance folder; PostgreSQL too on --db=postgresql); the test's writes then reach it
    through the queue."""
    indexing.rebuild()
    return search_backend


@pytest.fixture
def whoosh_index(app):
    """An empty Whoosh index, for what only Whoosh does (an index folder, spelling)."""
    indexing.rebuild()
    return indexing.get_backend()


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_a_new_thread_is_found_after_the_queue_ran_and_gone_once_held(search_index, as_member):
    client, member = as_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    thread = factories.start_thread(member, community, "Quarterly planning", "Zeppelin budgets.")
    assert "Zeppelin" not in page_text(client.get("/search?q=zeppelin"))

    run_queued_work()
    found = page_text(client.get("/search?q=zeppelin"))
    assert f"/t/{thread.id}" in found and "<mark>Zeppelin</mark>" in found

    hold_thread(db.session.get(type(thread), thread.id), "Flagged three times.")
    commit()
    run_queued_work()
    assert f"/t/{thread.id}" not in page_text(client.get("/search?q=zeppelin"))


def test_a_reply_is_found_and_a_deleted_reply_is_not(search_index, as_member):
    client, member = as_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    thread = factories.start_thread(member, community, "Hiring", "Plain opening.")
    reply = forum.reply(member, thread.id, "Our kraken programme doubled retention.")
    run_queued_work()
    assert "kraken" in page_text(client.get("/search?q=kraken&kind=post")).lower()

    forum.delete_post(member, reply.id)
    run_queued_work()
    found = page_text(client.get("/search?q=kraken"))
    assert "Nothing found" in found and "Post (0)" in found


def test_higher_tier_text_is_neither_found_nor_counted(search_index, as_member):
    owner = factories.make_member("owner", "council")
    council = factories.make_community("boardroom", "council")
    factories.start_thread(owner, council, "Merger talks", "Project nightingale is secret.")
    run_queued_work()
    client, _ = as_member("member", "strategist")
    found = page_text(client.get("/search?q=nightingale"))
    assert "Merger" not in found and "Everything (0)" in found and "Thread (0)" in found
    # Not even a spelling suggestion drawn from the hidden words.
    assert "Did you mean" not in page_text(client.get("/search?q=nightingail"))
    council_client, _ = as_member("member", "council")
    assert "Merger talks" in page_text(council_client.get("/search?q=nightingale"))


def test_highlighted_snippets_are_escaped(search_index, as_member):
    client, member = as_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    factories.start_thread(
        member, community, "Escaping", "`<script>alert(1)</script>` quokka <b>bold</b>"
    )
    run_queued_work()
    found = page_text(client.get("/search?q=quokka"))
    assert "<mark>quokka</mark>" in found
    assert "<script>alert" not in found


@pytest.mark.parametrize(
    "query",
    [
        "x" * 100_000,
        " ".join(f"word{n}" for n in range(3000)),
        "(" * 500 + "strategy" + ")" * 500,
        "*ategy",
        "?trategy",
        "st*",
        'AND OR NOT "',
        "title:secret",
        "   ",
    ],
)
def test_pathological_queries_get_a_clear_answer(search_index, as_member, query):
    client, _ = as_member("member", "strategist")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'class="error"' in body or "Nothing found" in body


def test_prefix_and_phrase(search_index, as_member):
    client, member = as_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    factories.start_thread(member, community, "Strategic planning", "The budget review went well.")
    run_queued_work()
    assert "Strategic planning" in page_text(client.get("/search?q=strat*"))
    assert "Strategic planning" in page_text(client.get('/search?q="budget review"'))
    assert "Strategic planning" not in page_text(client.get('/search?q="review budget"'))


def test_did_you_mean(search_index, as_member):
    client, member = as_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    factories.start_thread(member, community, "Strategic planning", "The budget review went well.")
    run_queued_work()
    assert "Did you mean" in page_text(client.get("/search?q=budgett"))


def test_filters_by_kind_community_and_author(search_index, as_member):
    client, member = as_member("member", "strategist")
    other = factories.make_member("member", "strategist", name="Other Person")
    one = factories.make_community("one", "strategist")
    two = factories.make_community("two", "strategist")
    factories.start_thread(member, one, "Walrus one", "First.")
    factories.start_thread(other, two, "Walrus two", "Second.")
    run_queued_work()
    found = page_text(client.get("/search?q=walrus&community=one"))
    assert "Walrus one" in found and "Walrus two" not in found
    found = page_text(client.get(f"/search?q=walrus&author={other.handle}"))
    assert "Walrus two" in found and "Walrus one" not in found
    assert "no such community" in page_text(client.get("/search?q=walrus&community=nope"))
    assert "YYYY-MM-DD" in page_text(client.get("/search?q=walrus&since=yesterday"))


def test_members_are_found_by_name_and_company_unless_revoked(search_index, as_member):
    client, _ = as_member("member", "strategist")
    factories.make_member("member", "council", name="Ottoline Pemberton")
    factories.make_member("member", "council", name="Ottoline Gone", status="revoked")
    indexing.rebuild()
    found = page_text(client.get("/search?q=ottoline&kind=member"))
    assert "Ottoline Pemberton" in found and "Ottoline Gone" not in found


def test_searches_are_recorded_with_their_result_count(search_index, as_member):
    client, member = as_member("member", "strategist")
    client.get("/search?q=nothingmatches&kind=thread")
    event = db.session.scalar(select(MetricEvent).where(MetricEvent.action == "search"))
    assert (event.member_id, event.object_type, event.detail, event.quantity) == (
        member.id,
        "thread",
        "nothingmatches",
        0,
    )


def test_without_an_index_search_falls_back_to_the_database_and_says_so(search_backend, as_member):
    client, member = as_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    factories.start_thread(member, community, "Platypus review", "Hello.")
    found = page_text(client.get("/search?q=platypus"))
    assert "Platypus review" in found and "simpler search of the database" in found
    ready = client.get("/readyz").get_json()
    assert "searching the database" in ready["checks"]["search_index"]


def test_a_broken_index_falls_back_too(whoosh_index, app, as_member):
    client, member = as_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    factories.start_thread(member, community, "Platypus review", "Hello.")
    shutil.rmtree(app.config["SEARCH_INDEX_PATH"])
    app.extensions["search_backends"].clear()
    assert "simpler search of the database" in page_text(client.get("/search?q=platypus"))


def test_reindex_and_check_commands(search_backend, app, as_member):
    _, member = as_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    factories.start_thread(member, community, "Platypus review", "Hello.")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "check"]).exit_code == 1  # no index yet
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Indexed" in result.output
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    # A write the queue has not applied yet: the check sees the index lag behind.
    forum.reply(member, community_thread_id(community), "Another reply.")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "missing" in result.output
    run_queued_work()
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_a_rebuild_settles_the_index_tasks_queued_before_it_and_leaves_the_rest(
    search_backend, as_member
):
    client, member = as_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    thread = factories.start_thread(member, community, "Quarterly planning", "Zeppelin budgets.")
    reply = forum.reply(factories.make_member(tier_slug="strategist"), thread.id, "Airship costs.")
    assert pending_tasks(indexing.INDEX_TASKS)  # one per object, as the demo's seeding leaves
    others = len(pending_tasks(all_task_kinds())) - len(pending_tasks(indexing.INDEX_TASKS))

    indexing.rebuild()

    assert pending_tasks(indexing.INDEX_TASKS) == []  # the rebuild holds what they would store
    assert len(pending_tasks(all_task_kinds())) == others  # notifications, tracking: still due
    # Found before any queued work ran.
    assert f'href="/p/{reply.id}"' in page_text(client.get("/search?q=airship"))
    later = forum.reply(member, thread.id, "Platypus logistics.")  # indexed by its own task
    run_queued_work()
    assert f'href="/p/{later.id}"' in page_text(client.get("/search?q=platypus"))


def all_task_kinds() -> list[str]:
    return list(db.session.scalars(select(QueuedTask.kind).distinct()))


def community_thread_id(community) -> int:
    return db.session.scalar(select(Thread.id).where(Thread.community_id == community.id))


def test_the_header_has_a_search_box(as_member):
    client, _ = as_member("member", "strategist")
    assert 'id="header-q"' in page_text(client.get("/"))
