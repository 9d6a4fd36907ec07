"""Discussions through the routes: polls, muting and watch levels."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from community.extensions import db
from community.forum import services, unread, watching
from community.forum.models import (
    PollOption,
    PollVote,
    Thread,
    WatchLevel,
)
from community.forum.polls import PollDraft
from tests.factories.forum import make_community, start_thread


def test_a_poll_takes_one_vote_per_member_and_shows_results_after_voting(as_member):
    make_community()
    author_client, _ = as_member()
    voter_client, _ = as_member()
    response = author_client.submit(
        "/c/strategy/new",
        {
            "title": "Is Director the right bar?",
            "body": "The policy admits Directors; should it?",
            "poll_question": "Should Directors be admitted?",
            "poll_options": "Yes\nNo\nOnly with social strategy responsibility",
        },
    )
    thread_url = response.headers["Location"]
    page = voter_client.get(thread_url).get_data(as_text=True)
    assert "Should Directors be admitted?" in page and "results show once you vote" in page
    option_ids = re.findall(r'name="option" value="(\d+)"', page)
    assert len(option_ids) == 3

    voter_client.submit(f"{thread_url}/vote", {"option": option_ids[2]})
    page = voter_client.get(thread_url).get_data(as_text=True)
    assert "(your vote)" in page and "1 voter" in page and "100%" in page

    voter_client.submit(f"{thread_url}/vote", {"option": option_ids[0]})
    assert "already voted" in voter_client.get(thread_url).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 1


def test_poll_input_errors_keep_the_thread_unwritten(as_member):
    make_community()
    client, _ = as_member()
    response = client.submit(
        "/c/strategy/new",
        {
            "title": "One-option poll",
            "body": "Body text here.",
            "poll_question": "Q?",
            "poll_options": "Only one",
        },
    )
    assert response.status_code == 400
    assert "Give 2 to 10 options" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_single_choice_poll_refuses_two_options_and_closed_poll_refuses_votes(as_member):
    community = make_community()
    author_client, author = as_member()
    voter_client, _ = as_member()
    thread = services.create_thread(
        author,
        community,
        "Budget split",
        "How do you split it?",
        PollDraft("Paid or organic first?", ["Paid", "Organic"]),
    )
    options = [option.id for option in db.session.scalars(select(PollOption))]
    voter_client.submit(f"/t/{thread.id}/vote", {"option": [str(o) for o in options]})
    assert "one choice" in voter_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert voter_client.submit(f"/t/{thread.id}/poll/close").status_code == 403
    author_client.submit(f"/t/{thread.id}/poll/close")
    voter_client.submit(f"/t/{thread.id}/vote", {"option": str(options[0])})
    page = voter_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "This poll is closed." in page and "closed" in page
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 0


def test_muting_a_thread_or_its_community_takes_it_out_of_whats_new(as_member):
    community = make_community()
    reader_client, reader = as_member()
    _, author = as_member()
    loud = start_thread(author, community, "Loud thread", "Plenty of activity in here.")
    quiet = start_thread(author, community, "Quiet thread", "Something worth reading here.")
    home = reader_client.get("/").get_data(as_text=True)
    assert "Loud thread" in home and "Quiet thread" in home

    reader_client.submit(f"/t/{loud.id}/watch", {"level": "muted"})
    home = reader_client.get("/").get_data(as_text=True)
    assert "Loud thread" not in home and "Quiet thread" in home
    assert watching.watch_level(reader, loud) == WatchLevel.MUTED

    reader_client.submit("/c/strategy/watch", {"level": "muted"})
    reader_client.submit(f"/t/{quiet.id}/watch", {"level": "watching"})  # the thread's own wins
    home = reader_client.get("/").get_data(as_text=True)
    assert "Loud thread" not in home and "Quiet thread" in home
    # Only the thread the reader still follows counts as unread in the muted community.
    assert unread.unread_by_community(reader) == {community.id: quiet.highest_post_number}
    assert watching.watch_level(reader, quiet) == WatchLevel.WATCHING


def test_watch_levels_are_checked_and_hidden_threads_answer_404(as_member):
    community = make_community()
    secret = make_community("board-room", tier="council")
    client, member = as_member(tier="strategist")
    _, elder = as_member(tier="council")
    thread = start_thread(elder, community, "Open thread", "Anyone can read this one.")
    hidden = start_thread(elder, secret, "Board-only", "Only council members read this.")

    client.submit(f"/t/{thread.id}/watch", {"level": "loudest"})
    assert "Choose watching, tracking or muted." in client.get(f"/t/{thread.id}").get_data(
        as_text=True
    )
    assert watching.watch_level(member, thread) == WatchLevel.TRACKING
    assert client.submit(f"/t/{hidden.id}/watch", {"level": "watching"}).status_code == 404
    assert client.submit("/c/board-room/watch", {"level": "watching"}).status_code == 404
