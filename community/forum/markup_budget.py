"""How much formatting one post may carry, counted before the post is parsed.

markdown-it-py is pure Python: every formatting mark it has to consider (a bracket that may
open a link, an asterisk that may open emphasis, a backtick, a mention) and every line it
turns into a block costs it microseconds, and some marks cost far more: for each unclosed
``[`` it looks for the closing bracket up to its nesting limit. A 20,000-character post of
nothing but ``[`` or ``*_`` took 0.4-0.6 s of CPU to parse on a busy two-core machine, while
20,000 characters of prose take 4 ms. No writer needs thousands of marks in one post, so a
post is refused with a form error when its weight passes ``MAX_WEIGHT``. The weight models
markdown-it's cost, construct by construct (the weights below, in units of about ten
microseconds): the formatting marks, ``LINE_WEIGHT`` per non-blank line, and what costs more
than its marks (link destinations by their length, list items, headings, entities, table cells
through their pipes), all outside fenced code blocks. At the bound, the worst inputs we know of
parse in 15-35 ms on the busy two-core machine, and so does a dense long post of ordinary
formatting (a heading, tables, lists and links every 1,400 characters): that is what the bound
is for, as no request may hold the one worker for 50 ms.

The count is linear and runs in C (``str.count`` and regular expressions that cannot
backtrack), so it costs well under a millisecond for the largest post. Code in fenced
blocks is not counted (markdown-it does not look for formatting there), but only fences
that start in the first column: such a fence always opens a top-level block, so the count
never skips text that markdown-it would parse. A fence indented inside a list item ends with
the item, so its contents are counted, as are indented code blocks and inline code (both
rarely long; the error message suggests a fenced block).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["LINE_WEIGHT", "MAX_WEIGHT", "markup_weight"]

# The unit is about ten microseconds of markdown-it's CPU time, measured per construct
# (`parse_post` on 4,000 characters of it, best of three, on the shared two-core machine), so
# that the weight of a post predicts its parse (see the module's docstring).
MAX_WEIGHT = 3_000
LINE_WEIGHT = 4  # a paragraph or quote line: 25-30 microseconds
# The characters markdown-it's inline rules (and our mention rule) act on, with their weight;
# the other punctuation is passed over as text. An opening bracket costs 26-40 microseconds
# (markdown-it scans ahead for its label's end); emphasis and strikethrough delimiters 15-18
# (their delimiter runs are balanced after the scan); a mention ~32 (our rule splits the text
# token); a pipe ~40 (on a table line each one is a cell to parse and render); a backtick ~13.
_MARK_WEIGHTS = {
    "[": 4,
    "@": 3,
    "|": 4,
    **dict.fromkeys("*_~`", 2),
    **dict.fromkeys("]!<&\\", 1),
    "![": 2,  # an image opener, on top of its "!" and "[": its label is parsed as a nested link
}
# Constructs that cost more than their marks, each counted by a pattern that cannot backtrack
# (a character class run with nothing after it):
# - a link destination, ``](url``, ``]: url`` or ``<scheme:...>``: ~100 microseconds for a short
#   one (normalizing, encoding, validating the URL), and 0.5 more per character of it, or
#   2.5-3.5 for a percent-escape or a non-ASCII character (markdown-it encodes them one by one);
_LINK_DESTINATION_RE = re.compile(
    r"\]\(<[^\n>]*|\]\([^\s)]*|\]:[ \t]*<?[^\s>]*|<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*"
)
LINK_WEIGHT = 8
LINK_CHARACTERS_PER_UNIT = 10
ESCAPED_LINK_CHARACTERS_PER_UNIT = 3
# - a list item, ~80 microseconds for its line against 25 for a paragraph's;
_LIST_ITEM_RE = re.compile(r"^[ \t]*(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
LIST_ITEM_WEIGHT = 5
# - a heading, ~55 microseconds;
_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)", re.MULTILINE)
HEADING_WEIGHT = 2
# - an entity or numeric character reference, ~18 microseconds.
_ENTITY_RE = re.compile(r"&#?[A-Za-z0-9]{1,32};")
ENTITY_WEIGHT = 1
# A fence line: an opening fence has no indentation (see above); a closing one may have
# up to three spaces, as CommonMark allows.
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
_NON_BLANK_LINE_RE = re.compile(r"^[ \t]*[^ \t\n]", re.MULTILINE)


def markup_weight(text: str) -> int:
    """The weight of ``text`` outside fenced code: its formatting marks, its lines, and the
    constructs that cost more than their marks (link destinations, list items, headings,
    entities)."""
    # One string, so that each count runs once in C however many fences split the post.
    outside = "\n".join(_outside_fences(text))
    return (
        sum(outside.count(mark) * each for mark, each in _MARK_WEIGHTS.items())
        + LINE_WEIGHT * _count(_NON_BLANK_LINE_RE, outside)
        + _link_destinations_weight(_LINK_DESTINATION_RE.findall(outside))
        + LIST_ITEM_WEIGHT * _count(_LIST_ITEM_RE, outside)
        + HEADING_WEIGHT * _count(_HEADING_RE, outside)
        + ENTITY_WEIGHT * _count(_ENTITY_RE, outside)
    )


def _count(pattern: re.Pattern[str], text: str) -> int:
    return len(pattern.findall(text))


def _link_destinations_weight(destinations: list[str]) -> int:
    joined = "".join(destinations)
    escaped = len(joined) - len(joined.encode("ascii", "ignore")) + joined.count("%")
    return (
        LINK_WEIGHT * len(destinations)
        + len(joined) // LINK_CHARACTERS_PER_UNIT
        + escaped // ESCAPED_LINK_CHARACTERS_PER_UNIT
    )


def _outside_fences(text: str) -> Iterator[str]:
    """The parts of ``text`` outside top-level fenced code blocks (fence lines included)."""
    start = 0
    fence: tuple[str, int] | None = None  # the open fence's character and length
    for match in _FENCE_RE.finditer(text):
        indent, marker, rest = match.groups()
        if fence is None:
            # Only an unindented fence opens; a backtick fence's info string has no backtick.
            if indent or (marker[0] == "`" and "`" in rest):
                continue
            yield text[start : match.end()]
            fence = (marker[0], len(marker))
        elif marker[0] == fence[0] and len(marker) >= fence[1] and not rest.strip():
            fence = None
            start = match.start()
    if fence is None:  # an unclosed fence runs to the end of the post, as markdown-it reads it
        yield text[start:]
