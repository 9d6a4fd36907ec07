"""A post with absurd amounts of formatting is refused before it is parsed: the form comes
back with the reason and the text, and nothing is saved (the cost is in
tests/unit/forum/test_markup_budget.py and tests/bench/bench_hostile_posts.py)."""

from __future__ import annotations

import html
import time

from sqlalchemy import func, select

from community.core.events import commit
from community.extensions import db
from community.forum import services
from community.forum.models import Community, Post
from tests import factories

HOSTILE = "*_" * 5_000  # 10,000 characters: under the length cap, far over the formatting one


def make_thread(author):
    community = Community(
        slug="strategy", name="Strategy", category="General", min_tier=factories.tier("council")
    )
    db.session.add(community)
    commit()
    return services.create_thread(author, community, "Budget season", "What changed this year?")


def test_a_reply_with_absurd_formatting_comes_back_with_the_reason_and_the_text(as_member):
    client, member = as_member()
    thread = make_thread(member)
    response = client.submit(f"/t/{thread.id}/reply", {"body": HOSTILE})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "too much formatting" in page and "Put code between ``` lines" in page
    assert HOSTILE in page  # nothing the member typed is lost
    assert db.session.scalar(select(func.count(Post.id))) == 1


def test_an_edit_into_absurd_formatting_is_refused_and_the_post_is_unchanged(as_member):
    client, member = as_member()
    thread = make_thread(member)
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
    response = client.submit(f"/p/{post.id}/edit", {"body": HOSTILE})
    assert response.status_code == 400
    assert "too much formatting" in html.unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "What changed this year?"


def test_code_in_a_fenced_block_does_not_count(as_member):
    client, member = as_member()
    thread = make_thread(member)
    body = f"The log:\n\n```\n{HOSTILE}\n```"
    response = client.submit(f"/t/{thread.id}/reply", {"body": body})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Post.id))) == 2


def test_quoting_a_post_saved_before_the_formatting_limit_is_cheap(as_member):
    # Such a post has no stored excerpt: one is made when it is quoted, by a parse that the
    # event loop waits for. 2,400 "[" (the part an excerpt was made from) took 56 ms.
    client, member = as_member()
    thread = make_thread(member)
    legacy = services._add_post(member, thread, "[" * 20_000, "")
    legacy.excerpt = ""
    commit()
    started = time.thread_time()
    quoted = services.get_excerpt(legacy)
    assert time.thread_time() - started < 0.025
    assert quoted.startswith("[[[[")
    response = client.get(f"/t/{thread.id}?quote={legacy.id}")
    assert response.status_code == 200
    assert quoted in html.unescape(response.get_data(as_text=True))
