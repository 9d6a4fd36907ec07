"""Delete my account and erase what I wrote: a member who ticks "Also erase everything I
wrote" takes their posts, the threads they started and their messages with them, down to
the earlier versions of an edited post and the titles other members' notifications quote."""

from __future__ import annotations

from community.forum import services as forum
from community.forum.polls import PollDraft
from community.search import indexing
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_account_deletion import rows_mentioning

# Words nobody else writes, so finding one anywhere means the erasure missed it.
TITLE = "Quillwort propagation ledger"
OPENING = "My opening thoughts on marram grass."
EDITED_AWAY = "A first draft about sphagnum."
REPLY = "My reply about saxifrage cuttings."
MESSAGE = "Privately: the larch nursery deal."
POLL = "Which fescue survives frost?"
NEEDLES = ["quillwort", "marram", "sphagnum", "saxifrage", "larch", "fescue"]


def write_everywhere(member, peer):
    room = factories.make_community("gardens", tier="council")
    own = forum.create_thread(
        member, room, TITLE, OPENING, poll=PollDraft(POLL, ["Red", "Sheep's"], False)
    )
    forum.reply(peer, own.id, "A peer's reply in the member's thread.")
    theirs = forum.create_thread(peer, room, "The peer's thread", "The peer opens.")
    answer = forum.reply(member, theirs.id, EDITED_AWAY)
    forum.edit_post(member, answer.id, REPLY)  # the first text lives on as a revision
    forum.reply(member, own.id, "Another post in my own thread.")  # the peer hears of it
    factories.make_conversation(member, peer, body=MESSAGE)
    run_queued_work()
    return own, theirs


def test_erasing_takes_every_word_the_member_wrote_and_leaves_the_peers(app, as_member):
    client, member = as_member(tier="council")
    peer_client, peer = as_member(tier="council")
    own, theirs = write_everywhere(member, peer)
    indexing.rebuild()
    assert len(rows_mentioning(NEEDLES)) >= len(NEEDLES)  # the scan sees what it looks for
    assert TITLE in peer_client.get("/notifications").get_data(as_text=True)

    response = client.submit(
        "/settings/delete", {"password": factories.PASSWORD, "erase": "y", "confirm": "y"}
    )
    assert response.status_code == 302
    run_queued_work()

    left = rows_mentioning(NEEDLES)
    assert left == [], "\n".join(left)
    # The member's thread is gone for the peer, replies and all; the peer's thread stays
    # with the peer's own post, less the member's answer.
    assert peer_client.get(f"/t/{own.id}").status_code == 404
    page = peer_client.get(f"/t/{theirs.id}").get_data(as_text=True)
    assert "The peer opens." in page and "saxifrage" not in page
    conversations = peer_client.get("/messages").get_data(as_text=True)
    assert "larch" not in conversations
    found = peer_client.get("/search?q=quillwort").get_data(as_text=True)
    assert TITLE not in found


def test_without_the_tick_the_posts_stay_signed_former_member(app, as_member):
    client, member = as_member(tier="council")
    peer_client, peer = as_member(tier="council")
    own, _theirs = write_everywhere(member, peer)

    client.submit("/settings/delete", {"password": factories.PASSWORD, "confirm": "y"})

    page = peer_client.get(f"/t/{own.id}").get_data(as_text=True)
    assert TITLE in page and "marram" in page and "Former member" in page
