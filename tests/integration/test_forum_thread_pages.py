"""Discussions through the routes: deleting, locking, pinning, read positions and mentions."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.forum.models import (
    Community,
    Mention,
    Post,
    Thread,
)
from tests.conftest import run_queued_work
from tests.factories.forum import add_posts, make_community, start_thread
from tests.integration.test_forum import count

# --- Deleting, locking, pinning ---------------------------------------------------------------


def test_soft_delete_hides_from_members_but_not_moderators(as_member):
    community = make_community("strategy")
    author_client, author = as_member()
    other, _ = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(author, community, "Retention", "How do you keep top talent?")
    author_client.submit(f"/t/{thread.id}/reply", {"body": "Regretful wording, remove me."})
    post = db.session.scalars(select(Post).where(Post.number == 2)).one()

    assert other.submit(f"/p/{post.id}/delete").status_code == 403
    response = author_client.submit(f"/p/{post.id}/delete")
    assert response.status_code == 302
    assert db.session.get(Post, post.id).deleted_at is not None
    assert db.session.get(Thread, thread.id).post_count == 1
    assert db.session.get(Community, community.id).post_count == 1

    for client in (other, author_client):
        page = client.get(f"/t/{thread.id}").get_data(as_text=True)
        assert "Regretful wording" not in page and 'id="p2"' not in page
        assert client.get(f"/p/{post.id}/edit").status_code == 404
        assert client.submit(f"/p/{post.id}/react", {"kind": "like"}).status_code == 404
    page = moderator.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Regretful wording" in page and "Deleted; visible to moderators only." in page
    # The week's figures count what readers can see: the deleted reply is off them.
    assert "1 new thread, 1 post" in other.get("/c/").get_data(as_text=True)


def test_lock_blocks_member_replies(as_member):
    community = make_community()
    member_client, member = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(member, community, "Closing soon", "Let us wrap this topic up.")

    assert member_client.submit(f"/t/{thread.id}/moderate", {"action": "lock"}).status_code == 403
    assert moderator.submit(f"/t/{thread.id}/moderate", {"action": "lock"}).status_code == 302
    flashed = moderator.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Thread locked: only moderators may post." in flashed
    assert db.session.get(Thread, thread.id).locked

    response = member_client.submit(f"/t/{thread.id}/reply", {"body": "One more thought."})
    assert response.status_code == 400
    assert "This thread is locked" in response.get_data(as_text=True)
    assert count(Post) == 1
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "only moderators may post" in page and f"/t/{thread.id}/reply" not in page

    assert moderator.submit(f"/t/{thread.id}/reply", {"body": "Closing note."}).status_code == 302
    assert count(Post) == 2
    moderator.submit(f"/t/{thread.id}/moderate", {"action": "unlock"})
    response = member_client.submit(f"/t/{thread.id}/reply", {"body": "Reopened, thanks."})
    assert response.status_code == 302
    assert moderator.submit(f"/t/{thread.id}/moderate", {"action": "explode"}).status_code == 400


def test_pinned_threads_come_first(as_member):
    community = make_community("strategy")
    member_client, member = as_member()
    moderator, _ = as_member("moderator")
    old = start_thread(member, community, "House rules thread", "Please read these first.")
    start_thread(member, community, "Fresh discussion thread", "Something newer to discuss.")
    page = member_client.get("/c/strategy").get_data(as_text=True)
    assert page.index("Fresh discussion thread") < page.index("House rules thread")

    assert moderator.submit(f"/t/{old.id}/moderate", {"action": "pin"}).status_code == 302
    page = member_client.get("/c/strategy").get_data(as_text=True)
    assert page.index("House rules thread") < page.index("Fresh discussion thread")
    assert "Pinned" in page
    moderator.submit(f"/t/{old.id}/moderate", {"action": "unpin"})
    page = member_client.get("/c/strategy").get_data(as_text=True)
    assert page.index("Fresh discussion thread") < page.index("House rules thread")


# --- Read positions ---------------------------------------------------------------------------


def test_read_positions_and_unread(as_member):
    community = make_community("strategy", name="Strategy Room")
    _, author = as_member()
    reader, _ = as_member()
    thread = start_thread(author, community, "Long running thread", "The opening post.")
    add_posts(thread, author, 21)  # 22 posts: two pages

    # Never opened: new everywhere.
    assert "22 unread" in reader.get("/c/").get_data(as_text=True)
    assert "New" in reader.get("/c/strategy").get_data(as_text=True)
    home = reader.get("/").get_data(as_text=True)
    assert "Long running thread" in home and "22 unread" in home

    page = reader.get(f"/t/{thread.id}").get_data(as_text=True)  # posts 1-20
    assert 'id="p20"' in page and 'id="p21"' not in page
    assert "2 unread" in reader.get("/c/").get_data(as_text=True)
    assert "2 unread" in reader.get("/c/strategy").get_data(as_text=True)
    assert "2 unread" in reader.get("/").get_data(as_text=True)

    response = reader.get(f"/t/{thread.id}/unread")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{thread.id}?page=2#p21")

    reader.get(f"/t/{thread.id}?page=2")
    assert "unread" not in reader.get("/c/").get_data(as_text=True).replace("has-unread", "")
    assert "Long running thread" not in reader.get("/").get_data(as_text=True)
    # All read: the unread link goes to the last post.
    response = reader.get(f"/t/{thread.id}/unread")
    assert response.headers["Location"].endswith("?page=2#p22")

    add_posts(thread, author, 1)
    run_queued_work()  # the worker counts a new post for its readers
    home = reader.get("/").get_data(as_text=True)
    assert "Long running thread" in home and "1 unread" in home
    assert reader.get(f"/t/{thread.id}/unread").headers["Location"].endswith("?page=2#p23")


def test_own_reply_counts_as_read(as_member):
    community = make_community()
    client, _ = as_member()
    _, other = as_member()
    thread = start_thread(other, community, "Quiet thread", "Anyone around this week?")
    client.submit(f"/t/{thread.id}/reply", {"body": "Yes, here and happy to help."})
    assert "Quiet thread" not in client.get("/").get_data(as_text=True)


# --- Mentions ---------------------------------------------------------------------------------


def test_mentions_are_stored_for_members(as_member):
    community = make_community()
    client, author = as_member(name="Alice Archer")
    _, grace = as_member(name="Grace Hopper")
    thread = start_thread(author, community, "Compilers", "Who built the first one?")
    response = client.submit(
        f"/t/{thread.id}/reply",
        {"body": "Ask @grace.hopper about it; @nobody.here cannot help, nor can @alice.archer."},
    )
    assert response.status_code == 302
    post = db.session.scalars(select(Post).where(Post.number == 2)).one()
    assert [(m.post_id, m.member_id) for m in db.session.scalars(select(Mention))] == [
        (post.id, grace.id)
    ]
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    # Stored as a span (forum.markdown); shown as a link to the member's profile.
    assert post.body_html.count('<span class="mention">@grace.hopper</span>') == 1
    assert '<a class="mention" href="/members/@grace.hopper">@grace.hopper</a>' in page
