"""@handle suggestions for the editor: only active members who could read the thread or the
community, eight at most, hidden threads answer 404, and the endpoints are rate limited."""

from __future__ import annotations

import re

from community.core.events import commit
from tests import factories
from tests.integration.test_forum import make_community, start_thread


def handles(client, url: str, q: str) -> list[str]:
    response = client.get(url, query_string={"q": q})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["handles"]


def test_suggests_members_who_can_read_the_thread_only(as_member):
    board = make_community("board-room", tier="council")
    client, author = as_member(tier="council", name="Ann Author")
    factories.make_member(tier_slug="council", name="Alex Council")
    factories.make_member(tier_slug="strategist", name="Alma Strategist")
    factories.make_member(tier_slug="council", name="Abe Revoked", status="revoked")
    factories.make_member("owner", "strategist", name="Ada Owner")
    thread = start_thread(author, board, "Board-only topic", "Discussing the board pack.")

    suggested = handles(client, f"/t/{thread.id}/mentionable", "a")
    assert suggested == ["ada.owner", "alex.council"]  # not the author, nor the others
    assert handles(client, "/c/board-room/mentionable", "@AL") == ["alex.council"]
    assert handles(client, f"/t/{thread.id}/mentionable", "") == []
    assert handles(client, f"/t/{thread.id}/mentionable", "a%") == []


def test_at_most_eight_suggestions_in_handle_order(as_member):
    community = make_community()
    client, author = as_member()
    for n in range(10):
        factories.make_member(name=f"Sam Peer {n}")
    thread = start_thread(author, community, "Open topic", "Anyone may join this one.")
    assert handles(client, f"/t/{thread.id}/mentionable", "sam") == [
        f"sam.peer.{n}" for n in range(8)
    ]


def test_hidden_threads_and_communities_answer_404_without_a_leak(as_member):
    board = make_community("board-room", tier="council")
    client, _ = as_member(tier="strategist")
    _, elder = as_member(tier="council", name="Alex Council")
    thread = start_thread(elder, board, "Board-only topic", "Discussing the board pack.")
    for url in (f"/t/{thread.id}/mentionable", "/c/board-room/mentionable"):
        response = client.get(url, query_string={"q": "al"})
        assert response.status_code == 404
        body = response.get_data(as_text=True)
        assert "alex.council" not in body and "Board-only" not in body


def test_a_held_thread_suggests_only_its_moderators_and_author(as_member):
    community = make_community()
    moderator_client, _ = as_member("moderator", name="Mo Derator")
    _, author = as_member(name="Mia Author")
    factories.make_member(name="Max Member")
    thread = start_thread(author, community, "Flagged topic", "Some members flagged this.")
    thread.held_reason = "Hidden after 3 members flagged it."
    commit()
    assert handles(moderator_client, f"/t/{thread.id}/mentionable", "m") == ["mia.author"]


def test_suggestions_are_rate_limited(as_member):
    community = make_community()
    client, author = as_member()
    thread = start_thread(author, community, "Open topic", "Anyone may join this one.")
    statuses = [
        client.get(f"/t/{thread.id}/mentionable", query_string={"q": "x"}).status_code
        for _ in range(61)
    ]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429


def test_editors_carry_the_suggestion_url_and_the_script(as_member):
    community = make_community()
    client, author = as_member()
    thread = start_thread(author, community, "Open topic", "Anyone may join this one.")
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert f'data-mention-url="/t/{thread.id}/mentionable"' in page
    assert re.search(r'<script src="/static/js/mentions\.js\?v=\w+" defer></script>', page)
    new = client.get("/c/strategy/new").get_data(as_text=True)
    assert 'data-mention-url="/c/strategy/mentionable"' in new
    script = client.get("/static/js/mentions.js")
    script.close()  # static files are streamed; close the file
    assert script.status_code == 200
