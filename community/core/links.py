"""Links in members' text: the bare-URL rule and the host of a link, shared by every check.

Markdown links and autolinks are read from the parsed token stream (``forum.markdown``), not
by a regex over the source: a regex for ``[text](url)`` backtracks over every unclosed ``[``
and costs seconds on a post of brackets. Every pattern here matches in linear time.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# No nested or overlapping quantifiers: one pass, no backtracking.
_BARE_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_DOMAIN_LIKE_RE = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#:]|$)", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?*_~'\""


def find_bare_urls(text: str) -> list[str]:
    """URLs written out in plain text (``https://...``, ``www....``), in order."""
    return [_trim_url(match.group(0)) for match in _BARE_URL_RE.finditer(text)]


def strip_bare_urls(text: str) -> str:
    return _BARE_URL_RE.sub(" ", text)


def _trim_url(url: str) -> str:
    """Drop sentence punctuation after a URL, and a ``)`` that closes the sentence rather than
    the URL. Counts the parentheses once, so a URL ending in many ``)`` costs one pass."""
    opens, closes = url.count("("), url.count(")")
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING_PUNCT:
            end -= 1
        elif last == ")" and opens < closes:
            closes -= 1
            end -= 1
        else:
            break
    return url[:end]


def link_host(url: str) -> str | None:
    """The lower-case host of a link, or None for relative links, mailto: and the like."""
    candidate = url.strip()
    if candidate.lower().startswith("www."):
        candidate = "http://" + candidate
    elif "://" not in candidate:
        if not _DOMAIN_LIKE_RE.match(candidate):
            return None
        candidate = "http://" + candidate
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return host.rstrip(".")
