"""Reactions, votes, watch levels and topic follows answer JSON when the page's script asks
(``Accept: application/json``), so the page updates in place; plain forms still redirect."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.extensions import db
from community.forum.models import Post
from community.forum.polls import PollDraft
from community.forum.services import create_thread
from tests import factories
from tests.factories.forum import make_community, start_thread
from tests.factories.library import make_resource

JSON = {"Accept": "application/json"}


def first_post_id(thread_id: int) -> int:
    return db.session.scalars(select(Post.id).where(Post.thread_id == thread_id)).one()


def test_a_reaction_answers_who_reacted_when_asked_for_json(as_member):
    _, author = as_member(name="Ada Author")
    reader, _ = as_member(name="Pat Peer")
    thread = start_thread(author, make_community(), "Budgets", "How do you split it?")
    post_id = first_post_id(thread.id)

    answer = reader.submit(f"/p/{post_id}/react", {"kind": "like"}, headers=JSON)
    assert answer.status_code == 200
    assert answer.json["reactions"]["like"] == {"count": 1, "names": ["Pat Peer"], "mine": True}
    assert answer.json["reactions"]["insightful"] == {"count": 0, "names": [], "mine": False}

    again = reader.submit(f"/p/{post_id}/react", {"kind": "like"}, headers=JSON)
    assert again.json["reactions"]["like"] == {"count": 0, "names": [], "mine": False}
    # The form without script: the redirect to the post, as before.
    assert reader.submit(f"/p/{post_id}/react", {"kind": "like"}).status_code == 302


def test_a_refused_reaction_answers_the_reason_in_json(as_member):
    author_client, author = as_member()
    thread = start_thread(author, make_community(), "Budgets", "How do you split it?")
    answer = author_client.submit(
        f"/p/{first_post_id(thread.id)}/react", {"kind": "like"}, headers=JSON
    )
    assert answer.status_code == 400
    assert answer.json == {"error": "You cannot react to your own post."}
    hidden = author_client.submit("/p/999999/react", {"kind": "like"}, headers=JSON)
    assert hidden.status_code == 404


def test_a_vote_answers_the_polls_results_as_a_fragment(as_member):
    _, author = as_member()
    voter, _ = as_member()
    poll = PollDraft("Build or buy?", ["Build", "Buy"], False)
    thread = create_thread(author, make_community(), "Listening tools", "Which way?", poll)
    page = voter.get(f"/t/{thread.id}").get_data(as_text=True)
    build = re.search(r'name="option" value="(\d+)"> Build', page).group(1)  # type: ignore[union-attr]

    answer = voter.submit(f"/t/{thread.id}/vote", {"option": build}, headers=JSON)
    assert answer.status_code == 200
    assert answer.json["message"] == "Your vote is counted."
    assert 'id="poll"' in answer.json["html"] and "Build (your vote)" in answer.json["html"]
    again = voter.submit(f"/t/{thread.id}/vote", {"option": build}, headers=JSON)
    assert again.status_code == 400 and again.json["error"]


def test_watch_levels_answer_json_and_a_bad_level_says_why(as_member):
    client, author = as_member()
    community = make_community()
    thread = start_thread(author, community, "Budgets", "How do you split it?")

    answer = client.submit(f"/t/{thread.id}/watch", {"level": "muted"}, headers=JSON)
    assert answer.json == {"level": "muted", "message": "Notification level saved."}
    assert "Muted: never</option>" in client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert 'value="muted" selected' in client.get(f"/t/{thread.id}").get_data(as_text=True)
    bad = client.submit(f"/c/{community.slug}/watch", {"level": "loud"}, headers=JSON)
    assert bad.status_code == 400 and bad.json["error"]
    ok = client.submit(f"/c/{community.slug}/watch", {"level": "watching"}, headers=JSON)
    assert ok.json["level"] == "watching"


def test_following_a_topic_answers_the_buttons_new_label(as_member):
    client, _ = as_member()
    make_resource(factories.make_member("editor"), topics="Crisis")
    answer = client.submit("/library/topics/crisis/follow", {"follow": "1"}, headers=JSON)
    assert answer.json == {
        "following": True,
        "label": "Unfollow Crisis",
        "message": "You follow Crisis.",
    }
    answer = client.submit("/library/topics/crisis/follow", {"follow": "0"}, headers=JSON)
    assert answer.json["label"] == "Follow Crisis"
