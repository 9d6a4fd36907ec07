"""The fragment cache never holds more text than its budget, least recently used out first."""

from __future__ import annotations

from community.core.fragment_cache import FragmentCache


def test_the_cache_stays_within_its_budget_and_drops_the_least_recently_used():
    cache: FragmentCache[tuple[str, str]] = FragmentCache(max_chars=10)
    cache.get_or_render("a", lambda: ("aaaa", ""))
    cache.get_or_render("b", lambda: ("bbbb", ""))
    assert cache.get_or_render("a", lambda: ("new", "")) == ("aaaa", "")  # a is now the newest
    cache.get_or_render("c", lambda: ("cccc", ""))  # 12 characters: b goes

    assert (len(cache), cache.chars) == (2, 8)
    assert cache.get_or_render("a", lambda: ("new", "")) == ("aaaa", "")
    assert cache.get_or_render("b", lambda: ("b again", "")) == ("b again", "")
    assert cache.chars <= 10


def test_a_fragment_larger_than_the_budget_is_served_but_not_kept():
    cache: FragmentCache[tuple[str, str]] = FragmentCache(max_chars=4)
    assert cache.get_or_render("big", lambda: ("x" * 5, "")) == ("x" * 5, "")
    assert (len(cache), cache.chars) == (0, 0)
