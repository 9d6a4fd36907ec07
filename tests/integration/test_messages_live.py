"""Conversations over the live channel: a socket joins a conversation's room only after the
access check, receives new messages there, and the sweep cuts it when access ends."""

from __future__ import annotations

from community.messages.conversations import leave, send_message
from community.notifications import live
from tests import factories
from tests.integration.test_live import connect, events

__all__ = ["connect"]


def watch(socket, conversation_id):
    return socket.emit("watch_conversation", {"conversation_id": conversation_id}, callback=True)


def test_a_participants_socket_gets_new_messages_and_nobody_elses_does(app, as_member, connect):
    client, member = as_member()
    outsider_client, _ = as_member()
    moderator_client, _ = as_member("moderator")
    other = factories.make_member()
    conversation = factories.make_conversation(other, member)
    socket, outsider, moderator = (
        connect(client),
        connect(outsider_client),
        connect(moderator_client),
    )

    assert watch(socket, conversation.id) == {"ok": True}
    assert watch(outsider, conversation.id) == {"ok": False}
    assert watch(moderator, conversation.id) == {"ok": False}  # no report: private
    assert watch(outsider, 999_999) == {"ok": False}
    assert watch(outsider, "1; drop") == {"ok": False}
    outsider.get_received(), moderator.get_received(), socket.get_received()

    send_message(other, conversation.id, "Live and private.")

    assert events(socket, "conversation_message") == [
        {"conversation_id": conversation.id, "number": 2}
    ]
    assert [e["name"] for e in outsider.get_received()] == []
    assert [e["name"] for e in moderator.get_received()] == []
    # The text travels only over HTTP, through the access check.
    assert "Live and private." in client.get(f"/messages/{conversation.id}/since?after=1").get_data(
        as_text=True
    )
    assert outsider_client.get(f"/messages/{conversation.id}/since?after=1").status_code == 404


def test_the_sweep_cuts_a_member_who_left(app, as_member, connect):
    client, member = as_member()
    other = factories.make_member()
    conversation = factories.make_conversation(other, member)
    socket = connect(client)
    watch(socket, conversation.id)
    assert live.sweep() == 0
    assert conversation.id in next(iter(live._connections.values())).conversation_ids

    leave(member, conversation.id)
    live.sweep()
    socket.get_received()
    send_message(other, conversation.id, "After you left.")

    assert events(socket, "conversation_message") == []
    assert socket.is_connected()  # still signed in: only the room went
