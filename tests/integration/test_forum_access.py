"""The access grid for discussions: a council-tier community is invisible (404, never 403) to
lower tiers on every page and action, moderators included; owners see everything."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from community.core.events import commit
from community.extensions import db
from community.forum import services
from community.forum.models import Community, Post, Reaction, Thread
from community.moderation.models import Flag
from tests import factories

SECRET = "Secret merger plans for Q3"
LOBBY_TITLE = "Welcome thread for everyone"


@dataclass
class Forum:
    boardroom: Community
    secret: Thread
    first_post: Post  # by a council member
    lobby: Community
    lobby_thread: Thread


def make_community(slug: str, name: str, tier: str) -> Community:
    community = Community(
        slug=slug, name=name, category="General", min_tier=factories.tier(tier), description=""
    )
    db.session.add(community)
    commit()
    return community


@pytest.fixture
def forum(app) -> Forum:
    boardroom = make_community("boardroom", "Boardroom", "council")
    lobby = make_community("lobby", "Lobby", "strategist")
    insider = factories.make_member(tier_slug="council")
    secret = services.create_thread(insider, boardroom, SECRET, "Confidential: the target list.")
    lobby_thread = services.create_thread(insider, lobby, LOBBY_TITLE, "Say hello to the room.")
    first_post = db.session.scalars(select(Post).where(Post.thread_id == secret.id)).one()
    return Forum(boardroom, secret, first_post, lobby, lobby_thread)


def viewer_with_own_post(as_member, forum: Forum, tier: str, role: str = "member"):
    """A member who wrote in the boardroom while on the council tier, then moved to ``tier``."""
    client, member = as_member(role, "council")
    own = services.reply(member, forum.secret.id, "My own confidential note on the deal.")
    member.tier = factories.tier(tier)
    commit()
    return client, member, own


# (method, url template, form data, status for a council viewer)
GRID = [
    ("GET", "/c/boardroom", None, 200),
    ("GET", "/c/boardroom/new", None, 200),
    ("POST", "/c/boardroom/new", {"title": "Another one", "body": "A fresh question."}, 302),
    ("GET", "/t/{thread}", None, 200),
    ("GET", "/t/{thread}/any-slug", None, 200),
    ("GET", "/t/{thread}?page=2", None, 200),
    ("GET", "/t/{thread}/unread", None, 302),
    ("POST", "/t/{thread}/reply", {"body": "Replying from outside."}, 302),
    ("GET", "/t/{thread}?quote={post}", None, 200),
    ("GET", "/t/{lobby_thread}?quote={post}", None, 200),
    ("POST", "/p/{post}/react", {"kind": "like"}, 302),
    ("GET", "/p/{own}/edit", None, 200),
    ("POST", "/p/{own}/edit", {"body": "Changed my own note."}, 302),
    ("POST", "/p/{own}/delete", None, 302),
    ("GET", "/p/{post}/revisions", None, 403),
    ("POST", "/t/{thread}/moderate", {"action": "lock"}, 403),
    ("POST", "/t/{thread}/flag", {"reason": "other", "text": "Not for here."}, 302),
    ("POST", "/t/{thread}/close", {"reason": "answered"}, 403),
    ("POST", "/t/{thread}/reopen", None, 403),
]


def fill(url: str, forum: Forum, own: Post) -> str:
    return url.format(
        thread=forum.secret.id,
        post=forum.first_post.id,
        own=own.id,
        lobby_thread=forum.lobby_thread.id,
    )


def request(client, method: str, url: str, data: dict | None):
    if method == "GET":
        return client.get(url)
    return client.submit(url, data)


def snapshot() -> tuple:
    """What a write through the grid could change."""
    return (
        db.session.scalar(select(func.count(Post.id))),
        db.session.scalar(select(func.count(Thread.id))),
        db.session.scalar(select(func.count()).select_from(Reaction)),
        tuple(db.session.execute(select(Post.id, Post.body, Post.deleted_at)).all()),
        tuple(
            db.session.execute(
                select(
                    Thread.id, Thread.locked, Thread.pinned, Thread.closed_at, Thread.held_reason
                )
            ).all()
        ),
        db.session.scalar(select(func.count(Flag.id))),
    )


@pytest.mark.parametrize("tier", ["strategist", "executive", "council"])
@pytest.mark.parametrize(
    ("method", "url", "data", "council_status"), GRID, ids=[f"{m} {u}" for m, u, _, _ in GRID]
)
def test_access_grid(as_member, forum, tier, method, url, data, council_status):
    client, _, own = viewer_with_own_post(as_member, forum, tier)
    before = snapshot()
    response = request(client, method, fill(url, forum, own), data)
    body = response.get_data(as_text=True)
    if tier == "council":
        assert response.status_code == council_status, body
    else:
        assert response.status_code == 404, body
        assert SECRET not in body
        assert "target list" not in body and "confidential note" not in body
        assert snapshot() == before  # nothing was written


@pytest.mark.parametrize("tier", ["strategist", "executive"])
def test_hidden_community_is_absent_from_lists_and_counts(as_member, forum, tier):
    client, _, _ = viewer_with_own_post(as_member, forum, tier)
    services.reply(
        factories.make_member(tier_slug="council"), forum.secret.id, "News you cannot see."
    )
    for url in ("/c/", "/", "/c/lobby"):
        page = client.get(url).get_data(as_text=True)
        assert SECRET not in page and "Boardroom" not in page, url
        assert "/c/boardroom" not in page and f"/t/{forum.secret.id}" not in page, url
    listing = client.get("/c/").get_data(as_text=True)
    assert "Lobby" in listing and "1 unread" in listing
    assert "2 unread" not in listing and "3 unread" not in listing
    home = client.get("/").get_data(as_text=True)
    assert LOBBY_TITLE in home
    # A reply quoting a hidden post into a visible thread is refused as if the post did not exist.
    response = client.submit(
        f"/t/{forum.lobby_thread.id}/reply",
        {"body": "Quoting something.", "quoted_post_id": str(forum.first_post.id)},
    )
    assert response.status_code == 404
    assert SECRET not in response.get_data(as_text=True)


def test_council_member_sees_the_boardroom_everywhere(as_member, forum):
    client, _ = as_member(tier="council")
    listing = client.get("/c/").get_data(as_text=True)
    assert "Boardroom" in listing and "Lobby" in listing
    assert SECRET in client.get("/").get_data(as_text=True)
    assert SECRET in client.get("/c/boardroom").get_data(as_text=True)


def test_council_post_cannot_be_quoted_into_a_wider_community(as_member, forum):
    client, _ = as_member(tier="council")
    response = client.submit(
        f"/t/{forum.lobby_thread.id}/reply",
        {"body": "Sharing this more widely.", "quoted_post_id": str(forum.first_post.id)},
    )
    assert response.status_code == 400
    assert "wider audience" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Post.id))) == 2


def test_owner_of_any_tier_sees_everything(as_member, forum):
    client, _ = as_member("owner", "strategist")
    listing = client.get("/c/").get_data(as_text=True)
    assert "Boardroom" in listing and "Lobby" in listing
    assert SECRET in client.get("/").get_data(as_text=True)
    assert SECRET in client.get("/c/boardroom").get_data(as_text=True)
    assert client.get(f"/t/{forum.secret.id}").status_code == 200
    assert client.get(f"/p/{forum.first_post.id}/revisions").status_code == 200
    response = client.submit(f"/t/{forum.secret.id}/moderate", {"action": "pin"})
    assert response.status_code == 302
    assert db.session.get(Thread, forum.secret.id).pinned


def test_strategist_moderator_gets_404_in_a_council_community(as_member, forum):
    client, _, own = viewer_with_own_post(as_member, forum, "strategist", role="moderator")
    for url in (
        "/c/boardroom",
        f"/t/{forum.secret.id}",
        f"/t/{forum.secret.id}/unread",
        f"/p/{forum.first_post.id}/revisions",
        f"/p/{own.id}/edit",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.get_data(as_text=True)
    for url, data in (
        (f"/t/{forum.secret.id}/moderate", {"action": "lock"}),
        (f"/t/{forum.secret.id}/close", None),
        (f"/t/{forum.secret.id}/flag", {"reason": "spam"}),
        (f"/moderation/flags/thread/{forum.secret.id}", {"decision": "delete"}),
        (f"/moderation/flags/{forum.first_post.id}", {"decision": "delete"}),
        (f"/t/{forum.secret.id}/reply", {"body": "Moderator note."}),
        (f"/p/{forum.first_post.id}/delete", None),
        (f"/p/{forum.first_post.id}/react", {"kind": "insightful"}),
    ):
        assert client.submit(url, data).status_code == 404, url
    assert not db.session.get(Thread, forum.secret.id).locked
    assert db.session.get(Thread, forum.secret.id).deleted_at is None
    assert db.session.get(Post, forum.first_post.id).deleted_at is None
    listing = client.get("/c/").get_data(as_text=True)
    assert "Boardroom" not in listing and "Lobby" in listing
    assert SECRET not in client.get("/").get_data(as_text=True)
    # Their own lobby moderation still works.
    assert (
        client.submit(f"/t/{forum.lobby_thread.id}/moderate", {"action": "lock"}).status_code == 302
    )


def test_deleted_thread_answers_404_to_members(as_member, forum):
    client, _ = as_member(tier="council")
    forum.secret.deleted_at = forum.secret.created_at
    commit()
    assert client.get(f"/t/{forum.secret.id}").status_code == 404
    assert SECRET not in client.get("/c/boardroom").get_data(as_text=True)
    assert SECRET not in client.get("/").get_data(as_text=True)
    moderator, _ = as_member("moderator", "council")
    assert moderator.get(f"/t/{forum.secret.id}").status_code == 200
