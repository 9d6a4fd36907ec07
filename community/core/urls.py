"""Absolute links for emails, from a request, the CLI or a job alike."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """``COMMUNITY_BASE_URL`` when set; else the current request's host; else HOST:PORT."""
    base = current_app.config["BASE_URL"]
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = base or f"http://{current_app.config['HOST']}:{current_app.config['PORT']}"
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, url_scheme=parts.scheme or "http", script_name=parts.path or "/"
    )
    return adapter.build(endpoint, values, force_external=True)


def path_for(endpoint: str, **values: Any) -> str:
    """A site-relative link (``/t/12``) built without a request, for stored notifications."""
    return current_app.url_map.bind("localhost").build(endpoint, values)
