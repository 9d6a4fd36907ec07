"""The unread count (badge, /notifications/since, socket payload) is one number: it leaves out
what the member can no longer open, and a fold into an unread row moves it."""

from __future__ import annotations

import re

from community.forum import reactions, thread_moderation
from community.forum import services as forum
from community.notifications.services import Draft, notify
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_forum import make_community
from tests.integration.test_live import Socket, events


def badge(client) -> int:
    match = re.search(r'id="notification-count" data-count="(\d+)"', client.get("/c/").text)
    assert match
    return int(match.group(1))


def since_count(client) -> int:
    data = client.get("/notifications/since?since=2000-01-01T00:00:00%2B00:00").get_json()
    return data["unread_count"]


def test_a_thread_moved_out_of_reach_no_longer_counts_anywhere(app, as_member):
    lounge = make_community("lounge", "strategist")
    inner = make_community("inner", "council")
    client, author = as_member(tier="executive")
    socket = Socket(app, client)
    moved = forum.create_thread(author, lounge, "Soon out of reach", "Text.")
    kept = forum.create_thread(author, lounge, "Stays here", "Text.")
    forum.reply(factories.make_member(), moved.id, "A reply.")
    run_queued_work()  # the worker tells the author
    assert badge(client) == 1 and since_count(client) == 1

    # To a council-only community: the author's tier no longer reaches it.
    thread_moderation.move_thread(factories.make_member(role="owner"), moved.id, inner.slug)
    assert badge(client) == 0 and since_count(client) == 0

    forum.reply(factories.make_member(), kept.id, "Another reply.")
    assert events(socket, "notification")[-1]["unread_count"] == 1
    assert badge(client) == 1 and since_count(client) == 1
    socket.disconnect()


def test_a_reaction_folded_into_an_unread_row_moves_the_count(app, as_member):
    lounge = make_community("lounge", "strategist")
    client, author = as_member()
    socket = Socket(app, client)
    thread = forum.create_thread(author, lounge, "Worth a like", "Text.")
    post_id = thread_first_post_id(thread)
    reactions.toggle_reaction(factories.make_member(), post_id, "like")
    assert badge(client) == 1
    reactions.toggle_reaction(factories.make_member(), post_id, "like")

    assert events(socket, "notification")[-1]["unread_count"] == 2
    assert badge(client) == 2 and since_count(client) == 2
    socket.disconnect()


def thread_first_post_id(thread) -> int:
    page = forum.get_thread_page(thread.author, thread.id)
    return page.posts.items[0].id


def add_unread_notices(member, how_many: int) -> None:
    for n in range(how_many):
        notify([member.id], Draft(kind="announcement", text=f"Notice {n}", url="/"))


def badge_text(client) -> str:
    match = re.search(r'id="notification-count"[^>]*>([^<]*)</span>', client.get("/c/").text)
    assert match
    return match.group(1)


def test_the_badge_counts_a_backlog_and_says_99_plus_past_99(app, as_member):
    client, member = as_member()
    add_unread_notices(member, 99)
    assert badge_text(client) == "99" and since_count(client) == 99

    add_unread_notices(member, 31)
    assert badge_text(client) == "99+"
    assert since_count(client) == 130
