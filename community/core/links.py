"""Links in members' Markdown: found once, the same way, by every check that counts them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_MD_LINK_RE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^()\s<>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_AUTOLINK_RE = re.compile(r"<((?:https?://|www\.)[^<>\s]+)>", re.IGNORECASE)
_BARE_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_DOMAIN_LIKE_RE = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#:]|$)", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?*_~'\""


def find_links(text: str) -> list[str]:
    """Every link in the Markdown, in order of appearance; each link once."""
    found: list[tuple[int, str]] = []

    def take(pattern: re.Pattern[str], source: str) -> str:
        def blank(match: re.Match[str]) -> str:
            found.append((match.start(), match.group(1)))
            return " " * len(match.group(0))

        return pattern.sub(blank, source)

    rest = take(_MD_LINK_RE, text)
    rest = take(_AUTOLINK_RE, rest)
    for match in _BARE_URL_RE.finditer(rest):
        found.append((match.start(), _trim_url(match.group(0))))
    return [url for _, url in sorted(found, key=lambda item: item[0])]


def _trim_url(url: str) -> str:
    while url and (
        url[-1] in _TRAILING_PUNCT or (url[-1] == ")" and url.count("(") < url.count(")"))
    ):
        url = url[:-1]
    return url


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


def strip_links(text: str) -> str:
    """The text with every link blanked out (for checks that read only the prose)."""
    text = _MD_LINK_RE.sub(" ", text)
    text = _AUTOLINK_RE.sub(" ", text)
    return _BARE_URL_RE.sub(" ", text)
