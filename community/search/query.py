"""Bounds on what a person may type, checked before any parser sees it.

A query costs the engine in proportion to its length, its number of terms, its nesting and
how many words its wildcards expand to. Each is capped here, so 100 KB of input, thousands of
terms, ``((((...))))`` or ``*a`` are answered with a clear message in microseconds.
"""

from __future__ import annotations

import re

from community.search.backend import QueryRefused

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
MAX_NESTING = 3
MIN_PREFIX_CHARS = 3
# A prefix stands for every word it starts, and each word's postings are read and merged on
# every search: "con*" in a forum of 100,000 posts starts hundreds of words. On every backend
# only the most frequent ones count (they are what a searcher most likely meant, and the
# rarest add almost no hits), so a prefix costs at most this many words' worth, whatever it
# starts, and finds the same documents on Whoosh and on PostgreSQL.
PREFIX_WORDS = 24
# Characters the matching machinery uses as markers; never let a document or query carry them.
MARKERS = ("\ue000", "\ue001")

_WORD = re.compile(r"[^\s()\"]+")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


def check_query(text: str) -> str:
    """The query, trimmed, or ``QueryRefused`` with the reason a person can act on."""
    text = " ".join((text or "").split())
    text = text.translate({ord(ch): None for ch in MARKERS})
    if not text:
        raise QueryRefused("Type a word or two to search for.")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(f"Searches are limited to {MAX_QUERY_CHARS} characters.")
    words = [word for word in _WORD.findall(text) if word not in _OPERATORS]
    if len(words) > MAX_TERMS:
        raise QueryRefused(f"Use at most {MAX_TERMS} words.")
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    if deepest > MAX_NESTING:
        raise QueryRefused(f"Use at most {MAX_NESTING} levels of brackets.")
    for word in words:
        core = word.strip("\"'")
        if "?" in core or "*" in core[:-1]:
            raise QueryRefused(
                "Only a trailing * is allowed, as in strat* (for strategy, strategic...)."
            )
        if core.endswith("*") and len(core.rstrip("*")) < MIN_PREFIX_CHARS:
            raise QueryRefused(f"Type at least {MIN_PREFIX_CHARS} letters before the *.")
    return text


def correctable_words(text: str) -> set[str]:
    """The words of a checked query a spelling correction may replace, lowercased: typed in
    full (not prefixes), letters only, not operators."""
    words = set()
    for word in _WORD.findall(text):
        core = word.strip("\"'+-")
        if word in _OPERATORS or core.endswith("*") or not core.isalpha():
            continue
        words.add(core.lower())
    return words


def replace_words(text: str, replacements: dict[str, str]) -> str:
    """The checked query with words replaced (matched lowercased), its syntax kept."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        core = word.strip("\"'+-")
        if word in _OPERATORS or core.lower() not in replacements:
            return word
        start = word.index(core)
        return word[:start] + replacements[core.lower()] + word[start + len(core) :]

    return _WORD.sub(swap, text)


def plain_words(text: str) -> list[str]:
    """The words of a checked query without operators or syntax, lowercased: what the
    database fallback looks for."""
    words = []
    for word in _WORD.findall(text):
        if word in _OPERATORS:
            continue
        core = word.strip("\"'*+-").lower()
        if core:
            words.append(core)
    return words
