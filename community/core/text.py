"""Small text rules shared by every domain."""

from __future__ import annotations

import unicodedata

# Control characters (\r, \n, \t, NUL...) and the Unicode line and paragraph separators.
_LINE_BREAKING = {"Cc", "Zl", "Zp"}


def single_line(text: str) -> str:
    """``text`` on one line: control characters and line separators become spaces, runs of
    whitespace one space. Titles and mail headers must never carry a line break (a header with
    one is refused by the mail library, and would sink every message built with it)."""
    spaced = "".join(" " if unicodedata.category(ch) in _LINE_BREAKING else ch for ch in text)
    return " ".join(spaced.split())
