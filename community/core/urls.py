"""Absolute links for emails, from a request, the CLI or a job alike.

They are built from ``COMMUNITY_BASE_URL`` alone (``http://HOST:PORT`` in development when it
is unset), never from the request: a forged ``Host`` or ``X-Forwarded-Host`` header would
otherwise put the attacker's site into a reset link mailed to someone else.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def base_url() -> str:
    """The site's address as configured: ``COMMUNITY_BASE_URL``, else ``http://HOST:PORT``."""
    config = current_app.config
    return config["BASE_URL"] or f"http://{config['HOST']}:{config['PORT']}"


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link to ``endpoint`` on the configured base URL, whatever the request says."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(
        parts.netloc, url_scheme=parts.scheme or "http", script_name=parts.path or "/"
    )
    return adapter.build(endpoint, values, force_external=True)


def path_for(endpoint: str, **values: Any) -> str:
    """A site-relative link (``/t/12``) built without a request, for stored notifications."""
    return current_app.url_map.bind("localhost").build(endpoint, values)
