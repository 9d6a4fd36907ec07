"""Mentions as links: a post stores ``<span class="mention">@handle</span>`` (rendered once,
when saved), and the thread page and the composer's preview link each to the member's
profile at display time, so old posts gain links too and a preview reads as the page will."""

from __future__ import annotations

import re

from flask import url_for
from markupsafe import Markup

# A mention as community.forum.markdown stores it in a post's sanitized HTML.
_STORED_MENTION_RE = re.compile(r'<span class="mention">@([a-z0-9][a-z0-9_.-]{1,29})</span>')


def link_mentions(html: str) -> Markup:
    """Turn the stored mention spans of a post into links to the member."""

    def link(match: re.Match[str]) -> str:
        href = url_for("profiles.profile_by_handle", handle=match[1])
        return str(Markup('<a class="mention" href="{}">@{}</a>').format(href, match[1]))

    # The same trust as ``|safe``: nh3 sanitized the HTML when the post was saved.
    return Markup(_STORED_MENTION_RE.sub(link, str(html)))  # noqa: S704
