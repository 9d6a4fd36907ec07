"""The composer's preview: the HTML a post with this text would store, made by the same checks
and the same parser as a save, so what a member sees before posting is what others will see."""

from __future__ import annotations

from community.core.cpu import run_off_event_loop
from community.forum.markdown import parse_post
from community.forum.posting import check_text


def render_preview(body: str) -> str:
    """Sanitized HTML for ``body`` ("" for an empty text). Too long a text, or one with more
    formatting than a post may carry, raises the DomainError a save would, before any parse;
    the parse itself runs off the event loop, as a save's does."""
    if not body.strip():
        return ""
    check_text(None, body)
    return run_off_event_loop(parse_post, body).html
