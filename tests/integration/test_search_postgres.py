"""What only the PostgreSQL search backend promises: one index for every app process (each
with its own instance folder), and answers that stay inside the request's transaction.
Runs in the PostgreSQL job of `make test` (``--db=postgresql``); the contract it shares with
Whoosh is tests/unit/search/test_backend_contract.py."""

from __future__ import annotations

import pytest

from community.extensions import db
from community.forum import services as forum
from community.search import indexing, postgres_backend
from community.search.services import SearchFilters, run_search
from tests import factories
from tests.conftest import run_queued_work
from tests.unit.search.test_backend_contract import doc, find, ids

pytestmark = pytest.mark.postgresql_only(reason="the PostgreSQL backend needs PostgreSQL")


def test_a_document_indexed_by_one_app_process_is_found_by_another(app, make_app):
    app.config["SEARCH_BACKEND"] = "postgres"
    member = factories.make_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    indexing.rebuild()  # after the factories, which publish no events
    thread = factories.start_thread(member, community, "Narwhal pricing", "Shared index.")
    run_queued_work()  # this process's worker indexes it

    other = make_app(SEARCH_BACKEND="postgres")  # another process: its own instance folder
    with other.app_context():
        seen = db.session.get(type(member), member.id)
        outcome = run_search(seen, SearchFilters(text="narwhal"))
        assert [(hit.kind, hit.object_id) for hit in outcome.page.hits] == [("thread", thread.id)]
        assert not outcome.fallback


def test_a_reply_and_its_deletion_reach_the_shared_index_through_the_queue(app):
    app.config["SEARCH_BACKEND"] = "postgres"
    member = factories.make_member("member", "strategist")
    community = factories.make_community("growth", "strategist")
    indexing.rebuild()  # after the factories, which publish no events
    thread = factories.start_thread(member, community, "Hiring", "Plain opening.")
    reply = forum.reply(member, thread.id, "Our pangolin programme doubled retention.")
    run_queued_work()
    keys = indexing.get_backend().keys("post")
    assert keys[f"post:{reply.id}"] is True

    forum.delete_post(member, reply.id)
    run_queued_work()
    assert indexing.get_backend().keys("post")[f"post:{reply.id}"] is False
    assert run_search(member, SearchFilters(text="pangolin")).page.total == 0
    assert [c for c in indexing.check() if not c.agrees] == []


def test_best_match_ranks_the_newest_matches_and_the_rest_follow_newest_first(app, monkeypatch):
    """Ranking is bounded (a common word's every match is not ranked), yet every match keeps
    exactly one place in the pages and the count stays exact."""
    app.config["SEARCH_BACKEND"] = "postgres"
    backend = indexing.get_backend()
    monkeypatch.setattr(postgres_backend, "RANKED_CANDIDATES", 3)
    titled = {1, 5}  # title matches rank first, but 1 is older than the three newest
    backend.rebuild(
        [[doc(n, "Heron" if n in titled else "Other", "a heron", days=n) for n in range(1, 7)]]
    )
    pages = [find(backend, "heron", per_page=2, page=number) for number in (1, 2, 3)]
    assert [ids(page) for page in pages] == [
        [("thread", 5), ("thread", 6)],  # the three newest, ranked
        [("thread", 4), ("thread", 3)],  # then the rest, newest first
        [("thread", 2), ("thread", 1)],
    ]
    assert {page.total for page in pages} == {6}
