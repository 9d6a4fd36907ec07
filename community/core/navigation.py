"""Which section of the site a page belongs to, so the navigation can mark it.

Told from the path, not the endpoint, so that core needs to know no domain: the stable page
addresses (DESIGN.md) already group the pages by section.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request

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


def init_app(app: Flask) -> None:
    app.context_processor(_current_section)


def _current_section() -> dict[str, str]:
    # Emails are rendered by jobs, outside any request: they have no navigation.
    return {"nav_section": section_of(request.path) if has_request_context() else ""}
