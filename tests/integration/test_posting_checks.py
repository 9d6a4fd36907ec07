"""Checks every post passes, new or edited: posting rates (429 with Retry-After, nothing typed
lost), the new-member link limit and the sales-pitch hold on edits."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum.models import Post, Thread
from tests.integration.test_forum import count, make_community, start_thread


def established(member):
    member.created_at = utcnow() - timedelta(days=60)
    commit()
    return member


def test_the_seventh_post_in_a_minute_gets_429_with_retry_after_and_the_text_back(as_member):
    community = make_community()
    client, member = as_member()
    established(member)
    thread = start_thread(member, community, "Planning cycles", "How long are yours?")
    for n in range(5):
        reply = client.submit(f"/t/{thread.id}/reply", {"body": f"Point {n}: {'ab' * (n + 1)}."})
        assert reply.status_code == 302

    response = client.submit(f"/t/{thread.id}/reply", {"body": "A seventh thought, typed out."})
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    page = response.get_data(as_text=True)
    assert "6 times a minute" in page
    assert "A seventh thought, typed out." in page
    assert count(Post) == 6

    response = client.submit(
        "/c/strategy/new", {"title": "A new topic", "body": "Kept when refused."}
    )
    assert response.status_code == 429 and "Retry-After" in response.headers
    page = response.get_data(as_text=True)
    assert 'value="A new topic"' in page and "Kept when refused." in page


def test_the_new_member_hourly_limit_answers_429_with_retry_after(app, as_member):
    app.config["NEW_MEMBER_POSTS_PER_HOUR"] = 3
    community = make_community()
    client, member = as_member()  # joined today
    thread = start_thread(member, community, "Planning cycles", "How long are yours?")
    for post in db.session.scalars(select(Post)):
        post.created_at = utcnow() - timedelta(minutes=30)  # outside the minute, inside the hour
    commit()
    for n in range(2):
        reply = client.submit(f"/t/{thread.id}/reply", {"body": f"Point {n}: {'cd' * (n + 1)}."})
        assert reply.status_code == 302

    response = client.submit(f"/t/{thread.id}/reply", {"body": "One more, typed with care."})
    assert response.status_code == 429
    assert 60 < int(response.headers["Retry-After"]) <= 30 * 60 + 1  # when the first post ages out
    page = response.get_data(as_text=True)
    assert "3 times an hour" in page and "One more, typed with care." in page


LINKS = "Sources: https://hbr.org/a, https://en.wikipedia.org/wiki/B and https://mckinsey.com/c."


def test_a_new_member_cannot_add_links_by_editing(as_member):
    community = make_community()
    client, member = as_member()
    thread = start_thread(member, community, "Reading list", "Share your favourite reads.")
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()

    response = client.submit(f"/p/{post.id}/edit", {"body": LINKS})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "New members can include up to 2 links per post" in page
    assert "https://mckinsey.com/c" in page  # the typed text comes back
    assert db.session.get(Post, post.id).body == "Share your favourite reads."


PITCH = "We solved exactly this at https://example-corp.com/platform, book a demo with me."


def test_an_edit_that_turns_into_a_pitch_is_held_for_review(as_member):
    community = make_community()
    author_client, author = as_member()  # works at Example Corp
    established(author)
    other, _ = as_member()
    _, starter = as_member()
    thread = start_thread(starter, community, "Tooling for listening", "What do you use?")
    reply = author_client.submit(f"/t/{thread.id}/reply", {"body": "We use a mix of tools."})
    assert reply.status_code == 302
    post = db.session.scalars(select(Post).where(Post.number == 2)).one()

    response = author_client.submit(f"/p/{post.id}/edit", {"body": PITCH}, follow_redirects=True)
    assert "held for a moderator" in response.get_data(as_text=True)
    assert db.session.get(Post, post.id).is_held
    assert db.session.get(Thread, thread.id).post_count == 1
    assert "solved exactly this" not in other.get(f"/t/{thread.id}").get_data(as_text=True)
