"""Which section of the site a page belongs to, so the navigation can mark it.

Told from the path, not the endpoint, so that core needs to know no domain: the stable page
addresses (DESIGN.md) already group the pages by section.

The header's counts (unread notifications, conversations with new messages) are asked of the
domains that own them, but read in one query per page: each domain registers a scalar subquery
on the member's id, and the first count a page shows runs them all in one SELECT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, g, has_request_context, request, url_for
from sqlalchemy import Integer, Select, bindparam, select
from sqlalchemy.sql.elements import BindParameter

from community.extensions import db

# (path prefix, section), first match wins; "/" alone is home.
SECTION_PREFIXES: tuple[tuple[str, str], ...] = (
    ("/c/", "communities"),
    ("/t/", "communities"),
    ("/p/", "communities"),
    ("/library", "library"),
    ("/notifications", "notifications"),
    ("/events", "events"),
    ("/messages", "messages"),
    ("/members", "members"),
    ("/search", "search"),
    ("/moderation", "moderation"),
    ("/admin", "admin"),
    ("/settings", "settings"),
    ("/assigned", "assigned"),
    ("/nominate", "nominate"),
)


def section_of(path: str) -> str:
    """The section ``path`` is in, or "" when it is in none (the sign-in page, say)."""
    if path == "/":
        return "home"
    for prefix, section in SECTION_PREFIXES:
        if path.startswith(prefix):
            return section
    return ""


@dataclass(frozen=True)
class HeaderCount:
    """A number the header shows. ``subquery(member_id)`` is a scalar subquery on a bound
    member id; ``fallback(member)`` counts the slow way when the subquery answers NULL (a kept
    count that went stale)."""

    name: str
    subquery: Callable[[BindParameter[int]], Any]
    fallback: Callable[[Any], int] | None = None


_header_counts: dict[str, HeaderCount] = {}
# The one SELECT of every registered count, built once: a new statement per request would cost
# its construction and its cache key each time.
_counts_statement: list[Select[Any]] = []
_COUNTS_KEY = "navigation.header_counts"


def register_header_count(count: HeaderCount) -> None:
    _header_counts[count.name] = count
    _counts_statement.clear()


def header_count(member: Any, name: str) -> int:
    """The header count ``name`` for ``member``; every count of the page comes from one query,
    run at the first one asked for (kept for the rest of the request)."""
    counts = g.get(_COUNTS_KEY)
    if counts is None or counts[0] != member.id:
        counts = (member.id, _read_header_counts(member))
        setattr(g, _COUNTS_KEY, counts)
    return counts[1][name]


def _read_header_counts(member: Any) -> dict[str, int]:
    if not _counts_statement:
        member_id = bindparam("member_id", type_=Integer)
        _counts_statement.append(
            select(*(c.subquery(member_id).label(c.name) for c in _header_counts.values()))
        )
    row = db.session.execute(_counts_statement[0], {"member_id": member.id}).one()
    counts: dict[str, int] = {}
    value: Any
    for count, value in zip(_header_counts.values(), row, strict=True):
        if value is None and count.fallback is not None:
            value = count.fallback(member)
        counts[count.name] = int(value or 0)
    return counts


# (script root, endpoint, arguments) -> URL: the frame's ~30 links, each built by the URL map
# once per process instead of on every page. Only for links that depend on nothing but these
# (no external URLs, no per-request defaults; the static files' content hashes are fixed at
# start-up).
_frame_urls: dict[tuple[str, str, tuple[tuple[str, Any], ...]], str] = {}


def frame_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)``, remembered: for the links every page's frame shows."""
    key = (request.script_root, endpoint, tuple(sorted(values.items())))
    url = _frame_urls.get(key)
    if url is None:
        url = _frame_urls[key] = url_for(endpoint, **values)
    return url


def init_app(app: Flask) -> None:
    app.context_processor(_current_section)
    app.add_template_global(frame_url)


def _current_section() -> dict[str, str]:
    # Emails are rendered by jobs, outside any request: they have no navigation.
    return {"nav_section": section_of(request.path) if has_request_context() else ""}
