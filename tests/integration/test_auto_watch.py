"""Posting in a thread watches it (Discourse's default), unless the member chose a level for it
or muted its community."""

from __future__ import annotations

import pytest

from community import access
from community.forum import watching
from community.forum.models import WatchLevel
from tests.integration.test_forum import make_community, start_thread, thread_id_from


def selected_level(page: str) -> str:
    marker = page.split(" selected>")[0].rsplit('value="', 1)[1]
    return marker.split('"')[0]


def test_starting_a_thread_or_replying_sets_watching(as_member, app):
    app.config["NEW_MEMBER_DAYS"] = 0
    make_community()
    author_client, author = as_member()
    replier_client, replier = as_member()
    reader_client, _ = as_member()

    response = author_client.submit(
        "/c/strategy/new", {"title": "Board metrics", "body": "Which ones do you report?"}
    )
    thread_id = thread_id_from(response)
    assert selected_level(author_client.get(f"/t/{thread_id}").get_data(as_text=True)) == (
        "watching"
    )
    assert selected_level(reader_client.get(f"/t/{thread_id}").get_data(as_text=True)) == (
        "tracking"
    )
    replier_client.submit(f"/t/{thread_id}/reply", {"body": "Retention, above all."})
    assert selected_level(replier_client.get(f"/t/{thread_id}").get_data(as_text=True)) == (
        "watching"
    )
    thread = access.get_visible_thread(author, thread_id)
    assert watching.watch_level(replier, thread) == WatchLevel.WATCHING


@pytest.mark.parametrize("chosen", ["muted", "tracking"])
def test_posting_keeps_a_level_the_member_chose_for_the_thread(as_member, chosen):
    community = make_community()
    client, member = as_member()
    _, author = as_member()
    thread = start_thread(author, community, "Quiet please", "A thread some prefer to mute.")
    client.submit(f"/t/{thread.id}/watch", {"level": chosen})

    client.submit(f"/t/{thread.id}/reply", {"body": "One remark, then I leave."})
    assert watching.watch_level(member, thread) == WatchLevel(chosen)


def test_posting_in_a_muted_community_does_not_unmute_it(as_member):
    community = make_community()
    client, member = as_member()
    _, author = as_member()
    thread = start_thread(author, community, "Somewhere muted", "The member muted this place.")
    client.submit("/c/strategy/watch", {"level": "muted"})

    client.submit(f"/t/{thread.id}/reply", {"body": "Passing by with an answer."})
    assert watching.watch_level(member, thread) == WatchLevel.MUTED
    assert "Somewhere muted" not in client.get("/").get_data(as_text=True)
