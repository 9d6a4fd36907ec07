"""The personal calendar feed: its settings page and the URL calendar apps poll."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.wrappers import Response

from community.core.security import hash_token
from community.core.urls import external_url
from community.events import feed, ics
from community.extensions import limiter

bp = Blueprint("calendar", __name__)


def _token_key() -> str:
    """Each feed URL is limited on its own: calendar services poll from shared addresses."""
    return "calendar:" + hash_token((request.view_args or {}).get("token", ""))


def _settings_page(token: str | None = None) -> str:
    url = external_url("calendar.feed_file", token=token) if token else None
    return render_template(
        "events/calendar_settings.html",
        has_feed=feed.has_feed(current_user),
        feed_url=url,
        # Calendar apps subscribe (rather than import once) from a webcal:// link.
        webcal_url=url.replace("https://", "webcal://").replace("http://", "webcal://")
        if url
        else None,
    )


@bp.get("/settings/calendar")
def settings() -> str:
    return _settings_page()


@bp.post("/settings/calendar")
@limiter.limit("20 per hour", key_func=lambda: f"member:{current_user.id}")
def change() -> str:
    """Make (or reset) the link and show it, once; or turn the feed off."""
    if request.form.get("action") == "stop":
        feed.stop_feed(current_user)
        return _settings_page()
    return _settings_page(feed.reset_feed(current_user))


@bp.get("/calendar/<token>.ics")
@limiter.limit("30 per hour", key_func=_token_key)
@limiter.limit("600 per hour", key_func=get_remote_address)
def feed_file(token: str) -> Response:
    member = feed.get_feed_member(token)
    body = ics.render_feed(feed.list_feed_events(member), "Council events")
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    # The URL is the secret: keep it and its contents out of shared caches and search engines.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
