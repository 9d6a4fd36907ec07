"""The live channel through Flask-SocketIO's test client: who may connect, which rooms a socket
is in, and what it receives."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.core.domain_events import PostCreated
from community.core.outbox import QueuedTask
from community.extensions import db, socketio
from community.forum import services as forum
from community.forum import thread_moderation
from community.moderation import services as moderation
from community.notifications import live
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_forum import make_community


@pytest.fixture
def lounge(app):
    return make_community("lounge", "strategist", name="Lounge")


class Socket:
    """A test socket whose every call runs in a fresh app context, as in a real server (the
    test's own app context would otherwise share ``g``, and its cached user, across sockets)."""

    def __init__(self, app, flask_client) -> None:
        self.app = app
        with app.app_context():
            self.client = socketio.test_client(app, flask_test_client=flask_client)

    def emit(self, *args, **kwargs):
        with self.app.app_context():
            return self.client.emit(*args, **kwargs)

    def disconnect(self) -> None:
        with self.app.app_context():
            self.client.disconnect()

    def is_connected(self) -> bool:
        return self.client.is_connected()

    def get_received(self) -> list[dict]:
        return self.client.get_received()


@pytest.fixture
def connect(app):
    """``connect(flask_client)``: a socket carrying that client's session cookie."""
    # The registry is per process, as in production; sockets of earlier tests (the browser
    # tests' live server) must not count here.
    live._connections.clear()
    sockets = []

    def open_socket(flask_client=None) -> Socket:
        socket = Socket(app, flask_client)
        sockets.append(socket)
        return socket

    # Flask-SocketIO's test client swaps the server's packet senders for its own recorders
    # (and turns off async handlers) on the shared server; give the real ones back, or the
    # browser tests' sockets later in this process would never receive a packet.
    patched = ("_send_packet", "_send_eio_packet", "async_handlers")
    server = socketio.server
    saved = {name: vars(server)[name] for name in patched if name in vars(server)}
    yield open_socket
    for socket in sockets:
        if socket.is_connected():
            socket.disconnect()
    for name in patched:
        if name in saved:
            setattr(server, name, saved[name])
        else:
            vars(server).pop(name, None)


def events(socket, name: str) -> list[dict]:
    """What the socket received once the worker has run the queued notifications."""
    run_queued_work()
    return [event["args"][0] for event in socket.get_received() if event["name"] == name]


def test_a_socket_without_a_session_is_refused(app, client, connect):
    assert not connect(client).is_connected()
    assert not connect().is_connected()


def test_a_reply_reaches_the_thread_authors_socket(app, lounge, as_member, connect):
    client, author = as_member()
    socket = connect(client)
    assert socket.is_connected()
    thread = forum.create_thread(author, lounge, "Live one", "Text.")
    replier = factories.make_member()
    post = forum.reply(replier, thread.id, "Here.")

    [payload] = events(socket, "notification")
    assert payload["kind"] == "reply"
    assert payload["text"] == f"@{replier.handle} replied to “Live one”"
    assert payload["url"] == f"/p/{post.id}"
    assert payload["unread_count"] == 1
    assert {"id", "created_at"} <= set(payload)


def test_a_reply_pushes_the_post_at_once_and_leaves_notifying_to_the_worker(
    app, lounge, domain_events
):
    author, replier = factories.make_member(), factories.make_member()
    thread = forum.create_thread(author, lounge, "Fan-out", "Who hears, and when?")
    run_queued_work()
    domain_events.clear()

    post = forum.reply(replier, thread.id, "In the request: only the page's push.")

    assert domain_events.events == [PostCreated(post_id=post.id)]
    post_push = (live.thread_room(thread.id), "post", {"thread_id": thread.id, "number": 2})
    assert domain_events.pushes == [post_push]  # the author is not told yet
    waiting = select(QueuedTask.kind).where(QueuedTask.done_at.is_(None))
    # Telling people, counting the post for its readers and indexing it are left to the worker.
    assert sorted(db.session.scalars(waiting)) == [
        "PostCreated:index_post",
        "PostCreated:on_post_created",
        "PostCreated:track_new_post",
    ]

    run_queued_work()

    [(room, name, payload)] = domain_events.pushes[1:]
    assert (room, name, payload["kind"]) == (live.member_room(author.id), "notification", "reply")


def test_nobody_hears_of_their_own_action_or_of_others_notifications(
    app, lounge, as_member, connect
):
    client, author = as_member()
    bystander_client, _ = as_member()
    mine, theirs = connect(client), connect(bystander_client)
    thread = forum.create_thread(author, lounge, "Mine", "Text.")
    forum.reply(author, thread.id, "Talking to myself.")
    forum.reply(factories.make_member(), thread.id, "Someone else.")
    assert len(events(mine, "notification")) == 1
    assert events(theirs, "notification") == []
    # There is no way to ask for someone else's room: unknown events are ignored.
    theirs.emit("join", {"room": live.member_room(author.id)})
    forum.reply(factories.make_member(), thread.id, "Again.")
    assert events(theirs, "notification") == []


def test_a_thread_page_gets_new_posts_only_where_the_member_may_look(
    app, lounge, as_member, connect
):
    client, _ = as_member("member", "strategist")
    socket = connect(client)
    author = factories.make_member()
    boardroom = make_community("boardroom", "council", name="Boardroom")
    open_thread = forum.create_thread(author, lounge, "Open", "Text.")
    hidden_thread = forum.create_thread(author, boardroom, "Hidden", "Text.")

    assert socket.emit("watch_thread", {"thread_id": hidden_thread.id}, callback=True) == {
        "ok": False
    }
    assert socket.emit("watch_thread", {"thread_id": 999_999}, callback=True) == {"ok": False}
    assert socket.emit("watch_thread", {"thread_id": "1; drop"}, callback=True) == {"ok": False}
    assert socket.emit("watch_thread", {"thread_id": open_thread.id}, callback=True) == {"ok": True}
    socket.get_received()

    forum.reply(author, hidden_thread.id, "Secret.")
    forum.reply(author, open_thread.id, "Public.")
    assert events(socket, "post") == [{"thread_id": open_thread.id, "number": 2}]

    socket.emit("unwatch_thread", {"thread_id": open_thread.id}, callback=True)
    forum.reply(author, open_thread.id, "Unheard.")
    assert events(socket, "post") == []


def test_a_held_post_is_not_announced_to_the_thread(app, lounge, as_member, connect):
    client, _ = as_member()
    socket = connect(client)
    author = factories.make_member()
    thread = forum.create_thread(author, lounge, "Pitch magnet", "Text.")
    socket.emit("watch_thread", {"thread_id": thread.id}, callback=True)
    socket.get_received()
    post = forum.reply(author, thread.id, "Fine words.")
    forum.hold_post(post, "Held for review")
    db.session.commit()
    assert len(events(socket, "post")) == 1
    pitch = "Book a demo today! 50% discount, pricing on request, DM me. " * 3
    held = forum.reply(author, thread.id, pitch)
    assert held.is_held
    assert events(socket, "post") == []


def test_the_sweep_cuts_revoked_members_and_drops_threads_out_of_reach(
    app, lounge, as_member, connect
):
    client, _ = as_member("member", "strategist")
    other_client, other = as_member()
    socket, other_socket = connect(client), connect(other_client)
    owner = factories.make_member("owner")
    boardroom = make_community("boardroom", "council", name="Boardroom")
    thread = forum.create_thread(owner, lounge, "Moving soon", "Text.")
    socket.emit("watch_thread", {"thread_id": thread.id}, callback=True)

    assert live.sweep() == 0  # nothing changed: everyone stays
    thread_moderation.move_thread(owner, thread.id, boardroom.slug)
    live.sweep()
    socket.get_received()
    forum.reply(owner, thread.id, "Now council only.")
    assert events(socket, "post") == []
    assert socket.is_connected()

    moderation.revoke_member(owner, other.id, "Left the industry")
    assert not other_socket.is_connected()  # this process cut it at once
    assert live.connected_count() == 1


def test_signing_out_closes_that_sessions_sockets_only(app, as_member, connect):
    client, person = as_member()
    phone = app.test_client()
    phone.sign_in(person.email)
    desk_socket, phone_socket = connect(client), connect(phone)
    assert client.submit("/logout").status_code == 302
    assert not desk_socket.is_connected()
    assert phone_socket.is_connected()


def test_a_revocation_in_another_process_is_caught_by_the_sweep(app, as_member, connect):
    client, person = as_member()
    socket = connect(client)
    # As if another process wrote it: the row changes, no event reaches this process.
    person.session_version += 1
    db.session.commit()
    assert socket.is_connected()
    assert live.sweep() == 1
    assert not socket.is_connected()


def test_a_socket_gone_while_it_asked_for_a_thread_gets_a_plain_no(
    app, lounge, as_member, connect, monkeypatch
):
    """The server runs event handlers in threads: a page that navigates away can disconnect
    between "may this socket watch the thread?" and joining the room. That once raised in the
    handler's thread (seen as a flaky browser test); the socket is simply told no."""
    client, member = as_member()
    socket = connect(client)
    thread = forum.create_thread(member, lounge, "Leaving soon", "Text.")
    manager = socketio.server.manager
    sid = manager.sid_from_eio_sid(socket.client.eio_sid, "/")
    can_see_thread = live.access.can_see_thread

    def disconnect_during_the_check(viewer, checked_thread):
        manager.basic_disconnect(sid, "/")  # the other thread's disconnect lands here
        return can_see_thread(viewer, checked_thread)

    monkeypatch.setattr(live.access, "can_see_thread", disconnect_during_the_check)
    assert socket.emit("watch_thread", {"thread_id": thread.id}, callback=True) == {"ok": False}
