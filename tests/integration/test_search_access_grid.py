"""The access grid for search: every role and tier against every kind in every state. What
the index finds and counts for a member is exactly what ``access.can_find`` allows, on every
backend (PostgreSQL too on --db=postgresql)."""

from __future__ import annotations

from community import access
from community.events.models import Event
from community.extensions import db
from community.forum.models import Post, Thread
from community.library.models import Resource
from community.search import indexing
from community.search.backend import KINDS, SearchRequest
from tests.access_grid import build_grid

QUERY = "thought OR thread OR talk OR old OR summary OR roundtable"
MODELS = {"thread": Thread, "post": Post, "resource": Resource, "event": Event}


def test_search_finds_and_counts_exactly_what_access_allows(search_backend):
    grid = build_grid()
    indexing.rebuild()
    backend = search_backend
    objects = {
        "thread": grid.threads.values(),
        "post": grid.posts.values(),
        "resource": grid.resources.values(),
        "event": grid.events.values(),
    }
    universe = {(kind, object_id) for kind, ids in objects.items() for object_id in ids}
    for label in grid.members:
        member = grid.member(label)
        expected = {
            (kind, object_id)
            for kind, ids in objects.items()
            for object_id in ids
            if access.can_find(member, db.session.get(MODELS[kind], object_id))
            and not (kind == "post" and db.session.get(Post, object_id).number == 1)
        }
        page = backend.search(SearchRequest(QUERY, per_page=500), access.search_scope(member))
        # The grid's objects only: publishing also opened each resource's own discussion.
        found = {(h.kind, h.object_id) for h in page.hits} & universe
        assert found == expected, (label, found - expected, expected - found)
        # Counts agree with the hits the page shows (every findable hit fits on this page).
        for kind in KINDS:
            assert page.counts[kind] == sum(1 for h in page.hits if h.kind == kind), (label, kind)
    # Nobody, not even an owner, finds what is deleted, held, archived or unpublished.
    owner = grid.member("owner/council")
    page = backend.search(SearchRequest(QUERY, per_page=500), access.search_scope(owner))
    found = {(hit.kind, hit.object_id) for hit in page.hits}
    for label in ("deleted thread in council", "held thread in strategist"):
        assert ("thread", grid.threads[label]) not in found
    assert ("thread", grid.threads["thread in archived community"]) not in found
    assert ("post", grid.posts["held post in council"]) not in found
    assert ("resource", grid.resources["draft council resource"]) not in found
    assert ("thread", grid.threads["discussion of archived council resource"]) not in found
