"""Whoosh prefixes: a prefix stands for its most frequent words only, so its cost is bounded
whatever it starts; too short or leading wildcards are refused before the engine sees them."""

from __future__ import annotations

import pytest

from community.search.backend import QueryRefused, SearchRequest
from community.search.query import PREFIX_WORDS, check_query
from community.search.whoosh_backend import WhooshBackend
from tests.unit.search.test_backend_contract import EVERYONE, doc

LETTERS = "bcdfghjklmnpqrstvwxz"


def rare_words(count: int) -> list[str]:
    """Distinct made-up words starting with "quag", which no stemmer folds together."""
    return [f"quag{LETTERS[n // len(LETTERS)]}{LETTERS[n % len(LETTERS)]}o" for n in range(count)]


def test_a_prefix_stands_for_its_most_frequent_words_only(tmp_path):
    backend = WhooshBackend(str(tmp_path / "index"))
    rare = rare_words(PREFIX_WORDS + 10)
    common = [doc(n, "Swamp", "a quagmire of budgets") for n in range(1, 6)]
    once = [doc(100 + n, "Bog", f"one {word}") for n, word in enumerate(rare)]
    backend.rebuild([common, once])

    page = backend.search(SearchRequest("quag*", per_page=50), EVERYONE)

    found = {hit.object_id for hit in page.hits}
    assert set(range(1, 6)) <= found  # the frequent word's documents are all there
    # ...and the prefix reached no more words than the cap, however many it starts.
    assert page.total == 5 + PREFIX_WORDS - 1
    assert backend.search(SearchRequest(rare[-1]), EVERYONE).total == 1  # typed whole: found


def test_a_prefix_that_starts_no_word_finds_nothing_and_suggests_nothing(tmp_path):
    backend = WhooshBackend(str(tmp_path / "index"))
    backend.rebuild([[doc(1, "Swamp", "a quagmire of budgets")]])
    page = backend.search(SearchRequest("zzq* budgett"), EVERYONE)
    assert (page.total, page.correction) == (0, None)


def test_a_prefix_close_to_a_word_keeps_the_misspelling_beside_it_correctable(tmp_path):
    """Commit 79871ba: "revie" is two letters from "review", so "did you mean" took the prefix
    for a misspelling and rewrote it by a position the capped prefix had lost (TypeError: the
    search fell back to the database). A prefix is what was meant: only the word is corrected."""
    backend = WhooshBackend(str(tmp_path / "index"))
    backend.rebuild([[doc(1, "Budget review", "The budget went well")]])
    page = backend.search(SearchRequest("revie* budgett"), EVERYONE)
    assert (page.total, page.correction) == (0, "revie* budget")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("*ategy", "Only a trailing *"),
        ("budget *ategy", "Only a trailing *"),
        ('"*ategy"', "Only a trailing *"),
        ("st*", "at least 3 letters"),
        ("*", "at least 3 letters"),
    ],
)
def test_leading_wildcards_and_short_prefixes_are_refused_with_a_reason(text, reason):
    with pytest.raises(QueryRefused, match=reason):
        check_query(text)
