"""The one module that talks to browsers over Socket.IO.

A socket joins its member's own room when it connects with a valid session cookie, and a
thread's room only after the access module says the member may see that thread; a client
cannot name a room to join. Every process sweeps its own sockets every few seconds: a member
who was revoked, suspended or signed out everywhere is disconnected, and a socket leaves any
thread room its member may no longer see. With ``COMMUNITY_REDIS_URL`` set, emits travel
through Redis to whichever process holds the socket, from the web and the CLI alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room, leave_room
from sqlalchemy import select

from community import access
from community.extensions import db, socketio
from community.forum.models import Thread
from community.members.models import Member
from community.members.sessions import get_live_session_hashes
from community.messages.models import Conversation

log = logging.getLogger(__name__)


@dataclass
class Connection:
    """What this process knows about one of its sockets."""

    member_id: int
    session_hash: str
    thread_ids: set[int] = field(default_factory=set)
    conversation_ids: set[int] = field(default_factory=set)


# Sockets held by this process, by Socket.IO sid. Only this process's sweep reads it.
_connections: dict[str, Connection] = {}
_sweepers: set[int] = set()


def member_room(member_id: int) -> str:
    return f"member:{member_id}"


def thread_room(thread_id: int) -> str:
    return f"thread:{thread_id}"


def conversation_room(conversation_id: int) -> str:
    return f"conversation:{conversation_id}"


# --- Pushing (called after commits) ---------------------------------------------------------


def emit(room: str, name: str, payload: dict[str, Any]) -> None:
    """Send one message to a room: the app's only call to ``socketio.emit``."""
    socketio.emit(name, payload, to=room)


def push_notification(member_id: int, payload: dict[str, Any]) -> None:
    emit(member_room(member_id), "notification", payload)


def push_post(thread_id: int, post_number: int) -> None:
    """Tell open pages of a thread that post ``post_number`` exists; the page fetches it over
    HTTP, so the text itself only ever travels through an access-checked view."""
    emit(thread_room(thread_id), "post", {"thread_id": thread_id, "number": post_number})


def push_message(conversation_id: int, number: int) -> None:
    """Tell open pages of a private conversation that message ``number`` exists; as for posts,
    the page fetches its text over HTTP, through the access check."""
    emit(
        conversation_room(conversation_id),
        "conversation_message",  # not "message": Socket.IO reserves that name for send()
        {"conversation_id": conversation_id, "number": number},
    )


def end_sessions(member_id: int, session_hash: str | None = None) -> None:
    """Disconnect this process's sockets of a member (of one session when its hash is given);
    sockets in other processes go at their next sweep."""
    for sid, connection in list(_connections.items()):
        if connection.member_id == member_id and session_hash in (None, connection.session_hash):
            _disconnect(sid)


# --- Socket handlers ----------------------------------------------------------------------


def _on_connect(auth: Any = None) -> None:
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("Sign in first.")
    _connections[_socket_id()] = Connection(
        member_id=current_user.id, session_hash=current_user.current_session.key_hash
    )
    join_room(member_room(current_user.id))
    _start_sweeper(current_app._get_current_object())  # type: ignore[attr-defined]


def _socket_id() -> str:
    """The socket this event came from (Flask-SocketIO sets ``request.sid`` in handlers)."""
    return request.sid  # type: ignore[attr-defined]


def _on_disconnect(reason: Any = None) -> None:
    _connections.pop(_socket_id(), None)


@dataclass(frozen=True)
class _Watchable:
    """A page that follows an object live: a thread's new posts, a conversation's messages."""

    key: str  # the object's id in the page's request
    model: type[Any]
    may_see: Callable[[Any, Any], bool]
    room: Callable[[int], str]
    watched: Callable[[Connection], set[int]]


# The access rules are looked up at each request, not bound here, so a rule is never stale.
_THREADS = _Watchable(
    "thread_id",
    Thread,
    lambda member, thread: access.can_see_thread(member, thread),
    thread_room,
    lambda connection: connection.thread_ids,
)
_CONVERSATIONS = _Watchable(
    "conversation_id",
    Conversation,
    lambda member, conversation: access.can_see_conversation(member, conversation),
    conversation_room,
    lambda connection: connection.conversation_ids,
)


def _watch(kind: _Watchable, data: Any) -> dict[str, Any]:
    """Join the object's room, only for a member who may see the object."""
    connection = _connections.get(_socket_id())
    object_id = data.get(kind.key) if isinstance(data, dict) else None
    if connection is None or not current_user.is_authenticated or type(object_id) is not int:
        return {"ok": False}
    found = db.session.get(kind.model, object_id)
    if found is None or not kind.may_see(current_user, found):
        return {"ok": False}  # the same answer as for an object that does not exist
    try:
        join_room(kind.room(object_id))
    except (KeyError, ValueError):
        # The page navigated away and its socket disconnected while this event was handled
        # (the server runs handlers in threads): there is no socket left to join the room.
        return {"ok": False}
    kind.watched(connection).add(object_id)
    return {"ok": True}


def _unwatch(kind: _Watchable, data: Any) -> dict[str, Any]:
    connection = _connections.get(_socket_id())
    object_id = data.get(kind.key) if isinstance(data, dict) else None
    if connection is not None and object_id in kind.watched(connection):
        leave_room(kind.room(object_id))
        kind.watched(connection).discard(object_id)
    return {"ok": True}


def _on_watch_thread(data: Any) -> dict[str, Any]:
    return _watch(_THREADS, data)


def _on_unwatch_thread(data: Any) -> dict[str, Any]:
    return _unwatch(_THREADS, data)


def _on_watch_conversation(data: Any) -> dict[str, Any]:
    return _watch(_CONVERSATIONS, data)


def _on_unwatch_conversation(data: Any) -> dict[str, Any]:
    return _unwatch(_CONVERSATIONS, data)


# --- The sweep ----------------------------------------------------------------------------


def sweep() -> int:
    """Check every socket of this process against the database; returns how many were cut."""
    connections = dict(_connections)
    if not connections:
        return 0
    member_ids = {c.member_id for c in connections.values()}
    members = {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(member_ids)))}
    thread_ids = set().union(*(c.thread_ids for c in connections.values()))
    threads = {t.id: t for t in db.session.scalars(select(Thread).where(Thread.id.in_(thread_ids)))}
    conversation_ids = set().union(*(c.conversation_ids for c in connections.values()))
    conversations = {
        c.id: c
        for c in db.session.scalars(
            select(Conversation).where(Conversation.id.in_(conversation_ids))
        )
    }
    # A session signed out elsewhere, voided by revocation or expired: its sockets go too.
    live_sessions = get_live_session_hashes(c.session_hash for c in connections.values())
    cut = 0
    for sid, connection in connections.items():
        member = members.get(connection.member_id)
        if member is None or connection.session_hash not in live_sessions:
            _disconnect(sid)
            cut += 1
            continue
        for thread_id in list(connection.thread_ids):
            thread = threads.get(thread_id)
            if thread is None or not access.can_see_thread(member, thread):
                socketio.server.leave_room(sid, thread_room(thread_id), namespace="/")
                connection.thread_ids.discard(thread_id)
        # A member who left a conversation, or a moderator whose report closed, stops hearing it.
        for conversation_id in list(connection.conversation_ids):
            conversation = conversations.get(conversation_id)
            if conversation is None or not access.can_see_conversation(member, conversation):
                socketio.server.leave_room(sid, conversation_room(conversation_id), namespace="/")
                connection.conversation_ids.discard(conversation_id)
    return cut


def _disconnect(sid: str) -> None:
    _connections.pop(sid, None)
    socketio.server.disconnect(sid, namespace="/")


def _start_sweeper(app: Flask) -> None:
    interval = app.config["LIVE_SWEEP_SECONDS"]
    if not interval or id(app) in _sweepers:
        return
    _sweepers.add(id(app))

    def loop() -> None:
        while True:
            socketio.sleep(interval)
            try:
                with app.app_context():
                    sweep()
            except Exception:
                log.exception("socket sweep failed")

    socketio.start_background_task(loop)


def connected_count() -> int:
    return len(_connections)


def init_app(app: Flask) -> None:
    socketio.on_event("connect", _on_connect)
    socketio.on_event("disconnect", _on_disconnect)
    socketio.on_event("watch_thread", _on_watch_thread)
    socketio.on_event("unwatch_thread", _on_unwatch_thread)
    socketio.on_event("watch_conversation", _on_watch_conversation)
    socketio.on_event("unwatch_conversation", _on_unwatch_conversation)
