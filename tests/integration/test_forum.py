"""Discussions through the routes: communities, threads, replies, reactions and edits.

The helpers here (``make_community``, ``start_thread``, ``count``, ...) are imported by other
forum tests."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.core.clock import utcnow
from community.core.domain_events import PostCreated, ThreadCreated
from community.core.events import commit
from community.extensions import db
from community.forum.models import (
    Community,
    Post,
    PostRevision,
    Reaction,
)
from tests.factories.forum import add_posts, make_community, start_thread  # noqa: F401 - other tests import these from here


def thread_id_from(response) -> int:
    match = re.search(r"/t/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# --- Communities ------------------------------------------------------------------------------


COMMUNITY_FORM = {
    "name": "Brand Strategy",
    "slug": "brand-strategy",
    "description": "How executives build brands on social.",
    "category": "Marketing",
    "min_tier": "executive",
    "position": "1",
}


def test_owner_creates_a_community(as_member):
    client, _ = as_member("owner")
    assert client.get("/admin/communities/new").status_code == 200
    response = client.submit("/admin/communities/new", COMMUNITY_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    community = db.session.scalars(select(Community)).one()
    assert (community.slug, community.min_tier.slug, community.category) == (
        "brand-strategy",
        "executive",
        "Marketing",
    )
    listing = client.get("/c/").get_data(as_text=True)
    assert "Brand Strategy" in listing and "Marketing" in listing
    assert client.get("/c/brand-strategy").status_code == 200
    assert "brand-strategy" in client.get("/admin/communities").get_data(as_text=True)


def test_community_slug_clash_comes_back_with_an_error(as_member):
    make_community("brand-strategy")
    client, _ = as_member("owner")
    response = client.submit("/admin/communities/new", COMMUNITY_FORM)
    assert response.status_code == 400
    assert "Another community uses that address." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["moderator", "member"])
def test_only_owners_manage_communities(as_member, role):
    community = make_community()
    client, _ = as_member(role)
    assert client.get("/admin/communities").status_code == 404
    assert client.get("/admin/communities/new").status_code == 404
    assert client.submit("/admin/communities/new", COMMUNITY_FORM).status_code == 404
    assert client.submit(f"/admin/communities/{community.id}/archive").status_code == 404
    assert count(Community) == 1
    assert db.session.get(Community, community.id).archived_at is None


def test_archived_community_is_hidden_from_members(as_member):
    community = make_community("old-room", name="Old Room")
    owner, _ = as_member("owner")
    member, _ = as_member()
    assert owner.submit(f"/admin/communities/{community.id}/archive").status_code == 302
    assert "Old Room" not in member.get("/c/").get_data(as_text=True)
    assert member.get("/c/old-room").status_code == 404
    assert owner.get("/c/old-room").status_code == 200


# --- Threads and replies ----------------------------------------------------------------------


def test_post_a_thread_and_replies_through_the_routes(as_member, domain_events):
    make_community("strategy", name="Strategy Room")
    alice, _ = as_member(name="Alice Archer")
    bob, _ = as_member(name="Bob Brennan")

    assert alice.get("/c/strategy/new").status_code == 200
    response = alice.submit(
        "/c/strategy/new",
        {"title": "Measuring share of voice", "body": "How do you measure share of voice?"},
    )
    assert response.status_code == 302
    thread_id = thread_id_from(response)
    assert response.headers["Location"].endswith(f"/t/{thread_id}")
    [first] = db.session.scalars(select(Post.id).where(Post.thread_id == thread_id))
    assert domain_events.events == [ThreadCreated(thread_id, first), PostCreated(first)]
    domain_events.clear()

    response = bob.submit(f"/t/{thread_id}/reply", {"body": "We track it weekly by region."})
    assert response.status_code == 302
    assert re.search(rf"/t/{thread_id}\?page=1#p2$", response.headers["Location"])
    reply_id = db.session.scalar(select(Post.id).where(Post.number == 2))
    assert domain_events.events == [PostCreated(post_id=reply_id)]  # exactly one event
    room = f"thread:{thread_id}"
    assert domain_events.pushes == [(room, "post", {"thread_id": thread_id, "number": 2})]
    response = alice.submit(
        f"/t/{thread_id}/reply", {"body": "Thanks, which tools do you rely on for that?"}
    )
    assert response.headers["Location"].endswith("#p3")

    posts = db.session.scalars(select(Post).where(Post.thread_id == thread_id)).all()
    assert sorted(post.number for post in posts) == [1, 2, 3]
    page = bob.get(f"/t/{thread_id}").get_data(as_text=True)
    for n in (1, 2, 3):
        assert f'id="p{n}"' in page and f"#{n} ·" in page
    assert page.index("share of voice?") < page.index("weekly by region") < page.index("tools")
    assert "3 posts" in page

    listing = bob.get("/c/").get_data(as_text=True)
    assert "This week: 1 new thread, 3 posts" in listing
    community_page = bob.get("/c/strategy").get_data(as_text=True)
    assert "Measuring share of voice" in community_page and "2 replies" in community_page


def test_empty_reply_comes_back_with_an_error(as_member, domain_events):
    community = make_community()
    client, member = as_member()
    thread = start_thread(member, community, "Budget season", "What changed this year?")
    domain_events.clear()
    response = client.submit(f"/t/{thread.id}/reply", {"body": "   "})
    assert response.status_code == 400
    assert count(Post) == 1
    assert domain_events.events == [] and domain_events.pushes == []  # a failed post says nothing


EXECUTABLE_LINK = re.compile(r"<a\b[^>]*href=[\"']?\s*javascript:", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z]+\b[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_markdown_is_rendered_and_sanitized_and_titles_are_plain_text(as_member):
    make_community("strategy")
    client, _ = as_member()
    body = (
        "We saw **strong** results.\n\n"
        "<script>alert('body')</script>\n\n"
        "[click me](javascript:alert('link'))\n\n"
        '<a href="javascript:alert(1)" onclick="alert(2)">raw</a>\n\n'
        "<img src=x onerror=alert(3)>"
    )
    title = "<script>alert('title')</script> <b>Q3</b> [x](javascript:alert(4))"
    response = client.submit("/c/strategy/new", {"title": title, "body": body})
    assert response.status_code == 302
    thread_id = thread_id_from(response)

    reader, _ = as_member()
    for url in ("/", "/c/strategy", f"/t/{thread_id}"):
        page = reader.get(url).get_data(as_text=True)
        assert "<script>alert" not in page, url
        assert not EXECUTABLE_LINK.search(page), url
        assert not EVENT_HANDLER.search(page), url
        assert "<b>Q3</b>" not in page, url
        assert "&lt;script&gt;alert(" in page, url  # the title, shown as typed
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "<strong>strong</strong>" in page
    assert "<title>&lt;script&gt;" in page or "<script>alert('title')" not in page


# --- Reactions --------------------------------------------------------------------------------


def test_reactions_toggle_and_show_who_reacted(as_member):
    community = make_community()
    author_client, author = as_member(name="Alice Archer")
    bob, _ = as_member(name="Bob Brennan")
    thread = start_thread(author, community, "Board reporting", "Which metrics reach the board?")
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()

    response = bob.submit(f"/p/{post.id}/react", {"kind": "insightful"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#p1")
    page = bob.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Insightful: Bob Brennan" in page
    assert 'aria-pressed="true"' in page
    assert count(Reaction) == 1

    bob.submit(f"/p/{post.id}/react", {"kind": "insightful"})
    assert count(Reaction) == 0
    assert "Insightful: Bob Brennan" not in bob.get(f"/t/{thread.id}").get_data(as_text=True)

    response = author_client.submit(f"/p/{post.id}/react", {"kind": "like"}, follow_redirects=True)
    assert "You cannot react to your own post." in response.get_data(as_text=True)
    assert count(Reaction) == 0

    response = bob.submit(f"/p/{post.id}/react", {"kind": "love"}, follow_redirects=True)
    assert "Unknown reaction." in response.get_data(as_text=True)
    assert count(Reaction) == 0


# --- Editing and revisions --------------------------------------------------------------------


def test_edit_keeps_a_revision_that_only_moderators_see(as_member):
    community = make_community()
    author_client, author = as_member()
    other, _ = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(author, community, "Agency fees", "Our agency charges monthly.")
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()

    page = author_client.get(f"/p/{post.id}/edit")
    assert page.status_code == 200 and "Our agency charges monthly." in page.get_data(as_text=True)
    response = author_client.submit(
        f"/p/{post.id}/edit", {"body": "Our agency charges per project."}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#p1")
    assert [r.body for r in db.session.scalars(select(PostRevision))] == [
        "Our agency charges monthly."
    ]
    thread_page = other.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "per project" in thread_page and "edited" in thread_page
    assert "charges monthly" not in thread_page
    assert f"/p/{post.id}/revisions" not in thread_page

    assert author_client.get(f"/p/{post.id}/revisions").status_code == 403
    assert other.get(f"/p/{post.id}/revisions").status_code == 403
    assert other.get(f"/p/{post.id}/edit").status_code == 403
    assert other.submit(f"/p/{post.id}/edit", {"body": "Hijacked."}).status_code == 403

    assert f"/p/{post.id}/revisions" in moderator.get(f"/t/{thread.id}").get_data(as_text=True)
    history = moderator.get(f"/p/{post.id}/revisions")
    assert history.status_code == 200
    text = history.get_data(as_text=True)
    assert "Our agency charges monthly." in text and "Our agency charges per project." in text


def test_authors_edit_only_within_the_window(app, as_member):
    community = make_community()
    author_client, author = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(author, community, "Old thoughts", "A first draft of my thinking.")
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
    window = app.config["EDIT_WINDOW_MINUTES"]
    post.created_at = utcnow() - timedelta(minutes=window + 1)
    commit()

    assert author_client.get(f"/p/{post.id}/edit").status_code == 403
    assert author_client.submit(f"/p/{post.id}/edit", {"body": "Late change."}).status_code == 403
    assert "Late change." not in db.session.get(Post, post.id).body
    assert 'href="/p/' + str(post.id) + '/edit"' not in author_client.get(
        f"/t/{thread.id}"
    ).get_data(as_text=True)
    # Moderators edit at any time.
    response = moderator.submit(f"/p/{post.id}/edit", {"body": "A tidied draft."})
    assert response.status_code == 302
    assert db.session.get(Post, post.id).body == "A tidied draft."
