"""The text checks run in linear time: a post four times longer costs about four times more,
never sixteen (each measured in CPU time, as the best of a few runs, so other processes on a
busy machine do not count)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from community.core.links import find_bare_urls
from community.forum.sales_pitch import PostContext, assess
from tests.cpu_time import best_cpu_time

pytestmark = pytest.mark.sqlite_only(reason="pure functions: --db changes nothing here")

ALLOWED_GROWTH = 6  # for 4x the input: linear is ~4, quadratic would be ~16


def pitch(text: str) -> object:
    # Links and prose as the one parse would give them, so only the pitch check is timed.
    context = PostContext(text, "acme.com", "Acme", True, (text,) * 5, links=(), prose=text)
    return assess(context)


HOSTILE = {
    "digits before a per-cent phrase": lambda n: "1" * n,
    "apostrophes between capitals": lambda n: "A'" * (n // 2),
    "one long word": lambda n: "a" * n,
    "long runs of spaces after a price": lambda n: ("$1" + " " * 500) * (n // 502),
    "many words compared with recent posts": lambda n: "word " * (n // 5),
}


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_pitch_check_is_linear(make: Callable[[int], str]) -> None:
    small, large = best_cpu_time(pitch, make(10_000)), best_cpu_time(pitch, make(40_000))
    assert large < ALLOWED_GROWTH * small + 0.02


def test_finding_bare_urls_is_linear_even_with_many_closing_parentheses() -> None:
    small = best_cpu_time(find_bare_urls, "https://a.org/" + ")" * 10_000)
    large = best_cpu_time(find_bare_urls, "https://a.org/" + ")" * 40_000)
    assert large < ALLOWED_GROWTH * small + 0.02


# The check runs beside the event loop on every post; what it holds the interpreter for is what
# other members wait. Two case-insensitive alternations of every phrase cost 10-30 ms each on
# 20,000 characters; scanning lowercased text costs 1-3 ms, the whole check 5-10 ms.
PITCH_CPU_BUDGET = 0.015
AT_THE_CAP = {
    "opening brackets": "[" * 20_000,
    "prose": ("The council met to discuss the board's strategy for next year. " * 400)[:20_000],
    "prices": "$1" * 10_000,
    "short words": "a " * 10_000,
}


@pytest.mark.parametrize("text", AT_THE_CAP.values(), ids=AT_THE_CAP.keys())
def test_the_pitch_check_of_a_post_at_the_cap_costs_a_few_milliseconds(text: str) -> None:
    context = PostContext(text, "acme.com", "Acme", True, links=(), prose=text)
    assert best_cpu_time(lambda _text: assess(context), text) < PITCH_CPU_BUDGET
