"""Snippets as parts of plain text, the matches marked, for the template to escape."""

from __future__ import annotations

from community.search.backend import Snippet
from community.search.query import MARKERS

SNIPPET_CHARS = 220
OPEN, CLOSE = MARKERS


def split_marked(text: str) -> Snippet:
    """``"a \\ue000match\\ue001 b"`` -> parts ``("a ", False), ("match", True), (" b", False)``."""
    parts: list[tuple[str, bool]] = []
    for chunk in text.split(OPEN):
        matched, _, rest = chunk.partition(CLOSE) if CLOSE in chunk else ("", "", chunk)
        if matched:
            parts.append((matched, True))
        if rest:
            parts.append((rest, False))
    return Snippet(tuple(parts))


def leading_snippet(text: str) -> Snippet:
    """The start of a text, when none of the matched words is in it (a title match)."""
    text = text.translate({ord(ch): None for ch in MARKERS})
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return Snippet(((text, False),) if text else ())


def mark_words(text: str, words: list[str]) -> Snippet:
    """A snippet around the first of ``words`` found in ``text`` (case-insensitive), every
    occurrence marked: the database fallback's highlighting."""
    lowered = text.lower()
    positions = [lowered.find(word) for word in words if word and word in lowered]
    start = max(0, min(positions) - 60) if positions else 0
    window = text[start : start + SNIPPET_CHARS]
    parts: list[tuple[str, bool]] = [("… ", False)] if start else []
    index, low = 0, window.lower()
    while index < len(window):
        found = [(low.find(word, index), word) for word in words if word and word in low[index:]]
        if not found:
            parts.append((window[index:], False))
            break
        at, word = min(found)
        if at > index:
            parts.append((window[index:at], False))
        parts.append((window[at : at + len(word)], True))
        index = at + len(word)
    return Snippet(tuple(parts))
