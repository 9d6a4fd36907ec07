"""Hostile Markdown costs the server little: a post with more formatting than
``markup_budget.MAX_WEIGHT`` is refused before it is parsed, and the worst post that is
accepted parses in well under 50 ms (the longest a request may hold the one worker). Timed
as process CPU time, the best of a few runs, so that other work on a busy machine does not
count."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from community.core.errors import DomainError
from community.forum.markdown import parse_post
from community.forum.markup_budget import MAX_WEIGHT, markup_weight
from community.forum.posting import MAX_BODY, check_text
from tests.cpu_time import best_cpu_time

pytestmark = pytest.mark.sqlite_only(reason="pure functions: --db changes nothing here")

ALLOWED_GROWTH = 6  # for 4x the input: linear is ~4, quadratic would be ~16
# markdown-it's own parse grows a little faster than linear on brackets (about 5x for 4x the
# input, measured on a busy machine); quadratic would still be ~16.
PARSE_GROWTH = 10
# The worst accepted post of each kind: 15-25 ms when the machine is quiet, up to ~38 ms with
# seven test suites sharing its two cores. Before the budget modelled link destinations,
# mentions and table cells, links, autolinks and mentions at the limit took 45-70 ms, and a
# post of a few long non-ASCII links (almost no marks) ~65 ms.
ACCEPTED_PARSE_SECONDS = 0.045
PROSE = "The council met to discuss the board's strategy for next year and agreed. " * 300


def fill(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


HOSTILE: dict[str, Callable[[int], str]] = {
    "unclosed [": lambda n: fill("[", n),
    "*_ runs": lambda n: fill("*_", n),
    "_* runs": lambda n: fill("_*", n),
    "*a runs": lambda n: fill("*a ", n),
    "**a runs": lambda n: fill("**a", n),
    "~~a runs": lambda n: fill("~~a", n),
    "![[ runs": lambda n: fill("![[", n),
    "[![ runs": lambda n: fill("[![", n),
    "unclosed [( mix": lambda n: fill("[(", n),
    "unclosed [a]( mix": lambda n: fill("[a](", n),
    "[ and newlines": lambda n: fill("[\n", n),
    "[` mix": lambda n: fill("[`", n),
    "`a runs": lambda n: fill("`a", n),
    "@mentions": lambda n: fill("@ab ", n),
    "headings": lambda n: fill("# a\n", n),
    "list items": lambda n: fill("- a\n", n),
    "table rows": lambda n: "|a|b|\n|-|-|\n" + fill("|a|b|\n", n - 12),
    "links in list items": lambda n: fill("- [a](https://x.org)\n", n),
    "links": lambda n: fill("[a](https://example.org/x) ", n),
    "long non-ASCII links": lambda n: fill(f"[a](https://example.org/{'é' * 1_000}) ", n),
    "long percent-escaped links": lambda n: fill(f"<https://example.org/{'%20' * 300}> ", n),
    "autolinks": lambda n: fill("<https://example.org/x> ", n),
    "reference definitions": lambda n: fill("[a]: https://example.org/x\n", n),
    "entities": lambda n: fill("&amp; ", n),
    "six-column table rows": lambda n: (
        "|a|b|c|d|e|f|\n|-|-|-|-|-|-|\n" + fill("|a|b|c|d|e|f|\n", n - 28)
    ),
}


def accepted(text: str) -> bool:
    try:
        check_text(None, text)
    except DomainError:
        return False
    return True


def worst_accepted_post(make: Callable[[int], str]) -> str:
    """The longest hostile run that ``check_text`` accepts, padded with prose to the cap."""

    def post(n: int) -> str:
        return (make(n) + "\n\n" + PROSE)[:MAX_BODY]

    low, high = 0, MAX_BODY  # post(low) is accepted; find the largest such n
    if accepted(post(high)):
        return post(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if accepted(post(middle)) else (low, middle)
    return post(low)


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_worst_accepted_post_parses_quickly(make: Callable[[int], str]) -> None:
    # On the code before the budget, every one of these was accepted at 20,000 characters
    # and most cost 0.2-0.7 s of CPU to parse.
    post = worst_accepted_post(make)
    assert best_cpu_time(parse_post, post) < ACCEPTED_PARSE_SECONDS


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_post_at_the_cap_is_refused_with_a_reason(make: Callable[[int], str]) -> None:
    with pytest.raises(DomainError, match="too much formatting") as refused:
        check_text(None, make(MAX_BODY))
    assert refused.value.field == "body"


SLOWEST = ["unclosed [", "*_ runs", "![[ runs", "unclosed [( mix", "[ and newlines"]


@pytest.mark.parametrize("name", SLOWEST)
def test_hostile_inputs_parse_in_linear_time(name: str) -> None:
    make = HOSTILE[name]
    small, large = best_cpu_time(parse_post, make(2_500)), best_cpu_time(parse_post, make(10_000))
    assert large < PARSE_GROWTH * small + 0.02


FENCES = {
    "many fences": lambda n: fill("```\n", n),
    "long opener, short lines": lambda n: "`````\n" + fill("```\n", n - 6),
    "unclosable openers": lambda n: fill("```a`\n", n),
    "tildes": lambda n: fill("~~~\n[\n", n),
    **HOSTILE,
}


@pytest.mark.parametrize("make", FENCES.values(), ids=FENCES.keys())
def test_the_count_is_linear_and_cheap(make: Callable[[int], str]) -> None:
    # 8x the input, so that a few milliseconds of noise on a busy machine cannot pass for
    # growth: linear is ~8x, quadratic would be ~64x.
    small, large = (
        best_cpu_time(markup_weight, make(20_000)),
        best_cpu_time(markup_weight, make(160_000)),
    )
    assert large < 2 * 8 * small + 0.002
    # It runs before the parse, on the event loop: a few milliseconds at most, even when busy.
    assert best_cpu_time(markup_weight, make(MAX_BODY)) < 0.025


BRACKETS = "[" * (MAX_WEIGHT + 1)


@pytest.mark.parametrize(
    "text",
    [
        f"Here is the data:\n\n```\n{BRACKETS}\n```\n\nThat is all.",
        f"~~~python\n{BRACKETS}\n~~~",
        f"```\n{BRACKETS}",  # an unclosed fence runs to the end
        f"````\n```\n{BRACKETS}\n````",  # a shorter fence does not close a longer one
    ],
    ids=["fenced", "tilde fence", "unclosed fence", "longer fence"],
)
def test_code_in_fenced_blocks_does_not_count(text: str) -> None:
    assert markup_weight(text) < 100
    assert accepted(text)


@pytest.mark.parametrize(
    "text",
    [
        f"- a\n\n   ```\n{BRACKETS}\n",  # an indented fence ends with its list item
        f"> ```\n{BRACKETS}\n",  # a fence in a quote ends with the quote
        f"```\ncode\n  ```\n{BRACKETS}\n",  # a closing fence may be indented
        f"```a`b\n{BRACKETS}\n",  # a backtick in the info string: no fence at all
        f"    ```\n{BRACKETS}\n",  # indented code, then a paragraph
    ],
    ids=["fence in a list item", "fence in a quote", "indented closer", "not a fence", "indented"],
)
def test_text_that_markdown_parses_is_counted(text: str) -> None:
    # Each of these renders the brackets as text that markdown-it had to parse.
    assert "[[[" in parse_post(text).plain
    assert markup_weight(text) > MAX_WEIGHT
    assert not accepted(text)


def test_a_dense_long_post_of_ordinary_formatting_is_accepted() -> None:
    # A heading, a table, a list, a quote and three links and mentions every 1,400 characters:
    # near the limit, as its parse costs about as much as the worst hostile post's.
    paragraph = (
        "We saw **strong** results in _three_ regions this quarter; see "
        "[the report](https://example.org/q3) and ask @dana_lee for details. " + PROSE[:300]
    )
    section = (
        f"## Quarterly review\n\n{paragraph}\n\n{paragraph}\n\n"
        "- Revenue up 12%, mostly from renewals\n- Churn down to 3%\n- Hiring on track\n\n"
        "| Region | Growth |\n|---|---|\n| EMEA | 14% |\n| APAC | 9% |\n\n"
        f"> What matters is the trend, not the quarter.\n\n{paragraph}\n\n"
        "```python\nprint(data[0]['x'] * rates[region])\n```\n\n"
    )
    long_post = (section * (MAX_BODY // len(section) + 1))[:MAX_BODY]
    assert markup_weight(long_post) < MAX_WEIGHT
    assert accepted(long_post)


def test_a_long_post_of_ordinary_formatting_is_accepted() -> None:
    # 3,000 words of prose with 27 links, bold and code in every paragraph, a 20-row
    # 6-column table and 50 code spans: more formatting than members write, still published.
    words = "the board agreed that our strategy for social listening should focus on renewals"
    vocabulary = words.split()

    def paragraph(k: int) -> str:
        text = [vocabulary[(i * 7 + k) % len(vocabulary)] for i in range(100)]
        text[5] = f"[report {k}](https://example.org/q{k % 4 + 1})"
        text[20], text[40] = "**key point**", f"`metric_{k}`"
        return " ".join(text) + "."

    table = "| Region | Q1 | Q2 | Q3 | Q4 | Trend |\n|---|---:|---:|---:|---:|:---:|\n" + "".join(
        f"| Region {r} | {r}% | {r + 1}% | {r + 2}% | {r + 3}% | up |\n" for r in range(20)
    )
    code_spans = " ".join(f"`field_{i}`" for i in range(50))
    prose = "\n\n".join(paragraph(k) for k in range(27))
    post = f"## Review\n\n{table}\nFields: {code_spans}\n\n{prose}\n"
    assert len(post) <= MAX_BODY and len(post.split()) >= 3_000

    assert accepted(post)
    html = parse_post(post).html
    assert html.count("<tr>") == 21 and html.count("<code>") == 50 + 27
