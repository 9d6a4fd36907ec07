"""The thread page's post list, rendered once and kept for every viewer who would see the
same HTML (issue 15: Jinja was 41% of the page).

The cache key is made from everything ``templates/forum/_post_list.html`` reads: each post's
shown fields and author, the reactions and their names, the viewer's powers on the thread and
on each post, the reactions that are theirs, whose profiles they may open, their time zone and
each post's "5 min ago". Nothing is invalidated, so nothing can be forgotten: a reply, an edit,
a reaction, a hold, a move or a change of powers makes a different key, and the entry it
replaces ages out of the bounded cache (``core/fragment_cache.py``). Two viewers share an
entry only when the list would be the same for both, character for character. The CSRF token
is the one per-viewer string left; the list carries a stand-in the page swaps for it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from hashlib import blake2b
from typing import Any

from flask import Flask, current_app, render_template, request
from markupsafe import Markup

from community import access
from community.core.csrf import masked_csrf_token
from community.core.fragment_cache import FragmentCache
from community.core.timefmt import chosen_zone, when_text
from community.forum.services import ThreadPage, load_quoted_posts
from community.members.models import Member

CACHE = "post_list_cache"
# Where the page puts the poll (after the first post), and the stand-in for the CSRF token:
# random per process, so no post's text can contain it.
SPLIT_MARK = Markup("<!--after-first-post-->")
TOKEN_STAND_IN = f"csrf-stand-in-{secrets.token_hex(16)}"


@dataclass(frozen=True)
class PostListHtml:
    first: Markup  # the first post: the poll follows it on page 1
    rest: Markup


def init_post_list_cache(app: Flask) -> None:
    megabytes = app.config["POST_LIST_CACHE_MB"]
    app.extensions[CACHE] = FragmentCache[tuple[str, str]](max_chars=megabytes * 2**20)


def render_post_list(member: Member, view: ThreadPage) -> PostListHtml:
    """The page's posts as HTML for this viewer, from the cache when any viewer has seen the
    very same list before."""
    cache: FragmentCache[tuple[str, str]] = current_app.extensions[CACHE]
    first, rest = cache.get_or_render(post_list_key(member, view), lambda: _render(view))
    token = masked_csrf_token()
    return PostListHtml(
        Markup(first.replace(TOKEN_STAND_IN, token)),  # noqa: S704 (rendered by Jinja)
        Markup(rest.replace(TOKEN_STAND_IN, token)),  # noqa: S704
    )


def post_list_key(member: Member, view: ThreadPage) -> tuple[int, int, bytes]:
    """(thread id, page, digest of everything the list shows this viewer)."""
    zone = chosen_zone()
    profiles: dict[int, bool] = {}
    posts: list[Any] = []
    for post in view.posts.items:
        author = post.author
        if author is not None and author.id not in profiles:
            profiles[author.id] = access.can_see_profile(member, author)
        posts.append(
            (
                post.id,
                post.number,
                post.author_id,
                (author.name, author.title, author.photo) if author is not None else None,
                when_text(post.created_at, "relative", zone),
                post.created_at,
                post.edited_at,
                post.deleted_at,
                post.held_reason,
                post.quoted_post_id,
                post.body_html,
                view.post_powers[post.id],
            )
        )
    shown = (
        posts,
        profiles,
        view.reactions,
        sorted(view.mine),
        view.powers,
        zone,
        request.script_root,
    )
    digest = blake2b(repr(shown).encode(), digest_size=20).digest()
    return (view.thread.id, view.posts.number, digest)


def _render(view: ThreadPage) -> tuple[str, str]:
    load_quoted_posts(view.posts.items)
    html = render_template(
        "forum/_post_list.html",
        view=view,
        thread=view.thread,
        token=TOKEN_STAND_IN,
        split_mark=SPLIT_MARK,
    )
    first, _, rest = html.partition(str(SPLIT_MARK))
    return first, rest
