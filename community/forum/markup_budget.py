"""How much formatting one post may carry, counted before the post is parsed.

markdown-it-py is pure Python: every formatting mark it has to consider (a bracket that may
open a link, an asterisk that may open emphasis, a backtick, a mention) and every line it
turns into a block costs it microseconds, and some marks cost far more: for each unclosed
``[`` it looks for the closing bracket up to its nesting limit. A 20,000-character post of
nothing but ``[`` or ``*_`` took 0.4-0.6 s of CPU to parse on a busy two-core machine, while
20,000 characters of prose take 4 ms. No writer needs thousands of marks in one post, so a
post is refused with a form error when its weight — the formatting marks (an opening bracket
three times) plus ``LINE_WEIGHT`` per non-blank line, all outside fenced code blocks — passes
``MAX_WEIGHT``;
at that bound the worst inputs we know of parse in about 60 ms on the same busy machine.

The count is linear and runs in C (``str.count`` and two regular expressions without
backtracking), so it costs well under a millisecond for the largest post. Code in fenced
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

MAX_WEIGHT = 2_500
LINE_WEIGHT = 4  # a line costs markdown-it about as much as four brackets (lists, tables)
# The characters markdown-it's inline rules (and our mention rule) act on and that cost it
# most, with their weight; the other punctuation is passed over as text. An opening bracket
# costs the most: markdown-it scans ahead for its label's end, and ``[(`` also for a link
# destination (about 45 microseconds each on a busy machine, against 10-15 for the others).
_MARK_WEIGHTS = {"[": 3, **dict.fromkeys("]!*_~`<&\\|@", 1)}
# A fence line: an opening fence has no indentation (see above); a closing one may have
# up to three spaces, as CommonMark allows.
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
_NON_BLANK_LINE_RE = re.compile(r"^[ \t]*[^ \t\n]", re.MULTILINE)


def markup_weight(text: str) -> int:
    """The weighted formatting marks outside fenced code, plus ``LINE_WEIGHT`` per non-blank
    line there."""
    weight = 0
    for part in _outside_fences(text):
        weight += sum(part.count(mark) * each for mark, each in _MARK_WEIGHTS.items())
        weight += LINE_WEIGHT * len(_NON_BLANK_LINE_RE.findall(part))
    return weight


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
