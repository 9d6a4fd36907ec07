"""The search contract (community/search/backend.py), the same tests for every backend: Whoosh
always, PostgreSQL too when the run is on PostgreSQL (``--db=postgresql``, the PostgreSQL job
of `make test`). Each test stores documents straight into the backend and reads back what a
searcher of some tier would get."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from community.access.search import SearchScope
from community.search.backend import (
    KINDS,
    IndexUnavailable,
    QueryRefused,
    SearchDocument,
    SearchPage,
    SearchRequest,
)
from community.search.query import PREFIX_WORDS

EVERYONE = SearchScope(max_rank=None)
STRATEGIST = SearchScope(max_rank=1)
START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def doc(
    object_id: int,
    title: str = "",
    body: str = "",
    *,
    kind: str = "thread",
    days: int = 0,
    min_rank: int = 1,
    hidden: tuple[str, ...] = (),
    community_id: int = 1,
    author_id: int = 1,
) -> SearchDocument:
    return SearchDocument(
        kind=kind,
        object_id=object_id,
        title=title,
        body=body,
        label=title or f"{kind} {object_id}",
        created_at=START + timedelta(days=days),
        min_rank=min_rank,
        hidden_because=hidden,
        community_id=community_id,
        author_id=author_id,
    )


def find(backend, text: str, scope: SearchScope = EVERYONE, **request) -> SearchPage:
    return backend.search(SearchRequest(text, **request), scope)


def ids(page: SearchPage) -> list[tuple[str, int]]:
    return [(hit.kind, hit.object_id) for hit in page.hits]


def test_an_unbuilt_index_says_so_and_a_rebuild_makes_it(search_backend):
    assert not search_backend.exists()
    assert not search_backend.health().ok
    with pytest.raises(IndexUnavailable):
        find(search_backend, "strategy")

    stored = search_backend.rebuild([[doc(1, "Strategy day")], [doc(2, "", "Budget talk")]])
    assert stored == 2 and search_backend.exists()
    health = search_backend.health()
    assert health.ok and health.documents["thread"] == 2 and health.documents["post"] == 0


def test_words_are_found_in_titles_and_bodies_stemmed(search_backend):
    search_backend.rebuild(
        [[doc(1, "Strategies for growth"), doc(2, "Plain title", "Our strategy worked"), doc(3)]]
    )
    assert sorted(ids(find(search_backend, "strategy"))) == [("thread", 1), ("thread", 2)]
    assert ids(find(search_backend, "zeppelin")) == []


def test_a_title_match_ranks_above_a_body_match_and_newest_sorts_by_date(search_backend):
    search_backend.rebuild(
        [[doc(1, "Other", "We talked about pricing at length", days=5), doc(2, "Pricing", days=1)]]
    )
    assert ids(find(search_backend, "pricing")) == [("thread", 2), ("thread", 1)]
    assert ids(find(search_backend, "pricing", sort="newest")) == [("thread", 1), ("thread", 2)]


def test_counts_per_kind_ignore_the_kind_filter_and_total_follows_it(search_backend):
    search_backend.rebuild(
        [
            [
                doc(1, "Walrus thread"),
                doc(2, "", "walrus reply", kind="post"),
                doc(3, "", "walrus reply two", kind="post"),
                doc(4, "Walrus guide", kind="resource"),
            ]
        ]
    )
    page = find(search_backend, "walrus", kind="post")
    assert page.counts == {**dict.fromkeys(KINDS, 0), "thread": 1, "post": 2, "resource": 1}
    assert page.total == 2 and {hit.kind for hit in page.hits} == {"post"}
    assert find(search_backend, "walrus").total == 4


def test_pages_split_the_hits_and_a_page_past_the_end_shows_the_last(search_backend):
    search_backend.rebuild([[doc(n, f"Heron {n}", days=n) for n in range(1, 6)]])
    first = find(search_backend, "heron", sort="newest", per_page=2)
    second = find(search_backend, "heron", sort="newest", per_page=2, page=2)
    beyond = find(search_backend, "heron", sort="newest", per_page=2, page=99)
    assert (first.total, first.pages) == (5, 3)
    assert ids(first) == [("thread", 5), ("thread", 4)]
    assert ids(second) == [("thread", 3), ("thread", 2)]
    assert beyond.page == 3 and ids(beyond) == [("thread", 1)]


def test_the_scope_filters_tiers_and_nobody_finds_hidden_documents(search_backend):
    search_backend.rebuild(
        [
            [
                doc(1, "Osprey open", min_rank=1),
                doc(2, "Osprey council", min_rank=3),
                doc(3, "Osprey deleted", hidden=("deleted",)),
                doc(4, "Osprey held twice", hidden=("held", "archived")),
            ]
        ]
    )
    low = find(search_backend, "osprey", STRATEGIST)
    assert ids(low) == [("thread", 1)] and low.total == 1 and low.counts["thread"] == 1
    assert sorted(ids(find(search_backend, "osprey", EVERYONE))) == [("thread", 1), ("thread", 2)]


def test_filters_by_community_author_and_dates(search_backend):
    search_backend.rebuild(
        [
            [
                doc(1, "Lynx one", community_id=1, author_id=7, days=0),
                doc(2, "Lynx two", community_id=2, author_id=8, days=10),
                doc(3, "Lynx member", kind="member", community_id=0, author_id=0, days=20),
            ]
        ]
    )
    assert ids(find(search_backend, "lynx", community_id=2)) == [("thread", 2)]
    assert ids(find(search_backend, "lynx", author_id=7)) == [("thread", 1)]
    since, until = START + timedelta(days=5), START + timedelta(days=15)
    assert ids(find(search_backend, "lynx", since=since, until=until)) == [("thread", 2)]


def test_phrases_prefixes_or_and_not(search_backend):
    search_backend.rebuild(
        [
            [
                doc(1, "Strategic planning", "The budget review went well"),
                doc(2, "Review", "We review the budget yearly"),
                doc(3, "Hiring", "Panel interviews"),
            ]
        ]
    )
    assert ids(find(search_backend, '"budget review"')) == [("thread", 1)]
    assert ids(find(search_backend, "strat*")) == [("thread", 1)]
    assert sorted(ids(find(search_backend, "strat* OR interviews"))) == [
        ("thread", 1),
        ("thread", 3),
    ]
    assert ids(find(search_backend, "budget NOT planning")) == [("thread", 2)]


def test_a_prefix_stands_for_the_same_most_used_words_on_every_backend(search_backend):
    """A prefix starting more than ``PREFIX_WORDS`` words reaches only the most used ones, ties
    in alphabetical order: every backend finds exactly these documents (not, on PostgreSQL,
    every word's documents, which a prefix read in full before)."""
    words = [f"quag{first}{second}o" for first in "bcd" for second in "bcdfghjklm"]  # 30
    twice, once = words[:20], words[20:]
    documents = [doc(n, "Bog", f"one {word}") for n, word in enumerate(twice + twice + once)]
    search_backend.rebuild([documents])

    page = find(search_backend, "quag*", per_page=100)

    kept = PREFIX_WORDS - len(twice)  # the first singletons, alphabetically
    expected = set(range(2 * len(twice))) | set(range(40, 40 + kept))
    assert (page.total, {hit.object_id for hit in page.hits}) == (len(expected), expected)
    assert find(search_backend, "QUAG*", per_page=100).total == len(expected)
    assert find(search_backend, once[-1]).total == 1  # typed whole, a word past the cap is found
    assert ids(find(search_backend, f"zzq* OR {once[-1]}")) == [("thread", 49)]
    search_backend.index([doc(99, "Fen", "a quagzzo written since")])
    assert ids(find(search_backend, "quagz*")) == [("thread", 99)]  # a write's new words count


def test_snippets_mark_the_matched_words(search_backend):
    body = "A long opening about other things. Then the quokka appears, and the end."
    search_backend.rebuild([[doc(1, "Animals", body)]])
    (hit,) = find(search_backend, "quokka").hits
    assert [text for text, marked in hit.snippet.parts if marked] == ["quokka"]
    assert "Then the" in "".join(text for text, _ in hit.snippet.parts)


def test_marker_characters_in_a_document_cannot_forge_a_highlight(search_backend):
    search_backend.rebuild([[doc(1, "Tapir", "tapir \ue000fake\ue001 text")]])
    (hit,) = find(search_backend, "tapir").hits
    assert [text for text, marked in hit.snippet.parts if marked] == ["tapir"]


def test_index_replaces_by_key_and_delete_removes(search_backend):
    search_backend.rebuild([[doc(1, "Ibis first"), doc(2, "Ibis second")]])
    search_backend.index([doc(1, "Flamingo now"), doc(3, "Ibis third")])
    assert sorted(ids(find(search_backend, "ibis"))) == [("thread", 2), ("thread", 3)]
    assert ids(find(search_backend, "flamingo")) == [("thread", 1)]
    search_backend.index([doc(2, "Ibis second", hidden=("held",))])
    assert ids(find(search_backend, "ibis")) == [("thread", 3)]
    search_backend.delete(["thread:3", "thread:999"])
    assert ids(find(search_backend, "ibis")) == []
    assert search_backend.keys("thread") == {"thread:1": True, "thread:2": False}


def test_a_rebuild_starts_from_empty(search_backend):
    search_backend.rebuild([[doc(1, "Gecko"), doc(2, "Gecko too")]])
    assert search_backend.rebuild([[doc(3, "Gecko three")]]) == 1
    assert ids(find(search_backend, "gecko")) == [("thread", 3)]
    assert search_backend.keys("thread") == {"thread:3": True}


@pytest.mark.parametrize("text", ["the and of", "AND OR NOT"])
def test_a_query_of_only_common_words_is_refused(search_backend, text):
    search_backend.rebuild([[doc(1, "The council")]])
    with pytest.raises(QueryRefused):
        find(search_backend, text)


def test_a_misspelling_gets_a_correction_only_from_what_the_scope_finds(search_backend):
    search_backend.rebuild(
        [
            [
                doc(1, "Budget review", "The budget went well"),
                doc(2, "Boardroom", "The merger is close", min_rank=3),
            ]
        ]
    )
    page = find(search_backend, "budgett", STRATEGIST)
    assert (page.total, page.correction) == (0, "budget")
    assert find(search_backend, "budgett review", STRATEGIST).correction == "budget review"
    assert find(search_backend, "mergerr", EVERYONE).correction == "merger"
    # A word only a higher tier's documents use would tell of them: not suggested.
    assert find(search_backend, "mergerr", STRATEGIST).correction is None
    assert find(search_backend, "budget", STRATEGIST).correction is None
