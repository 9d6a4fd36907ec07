"""The local broker of ``community run``: emits from one process reach another's listener."""

from __future__ import annotations

import queue
import socket
import threading
from pathlib import Path

import pytest

from community.core import live_channel
from community.core.live_channel import Broker, LocalSocketManager, client_manager

pytestmark = pytest.mark.sqlite_only(reason="sockets between processes: --db changes nothing")


class Listening(LocalSocketManager):
    """A manager whose listener thread is run by hand, as a serving process would run it."""

    connections = 0

    def _connect(self, role: bytes) -> socket.socket:
        connection = super()._connect(role)
        self.connections += 1
        return connection

    def start(self, received: queue.Queue) -> None:
        def listen() -> None:
            for message in self._listen():
                received.put(message)

        threading.Thread(target=listen, daemon=True).start()


def test_an_emit_published_by_one_manager_reaches_every_listener(tmp_path: Path) -> None:
    broker = Broker(tmp_path / "live.sock")
    broker.start()
    try:
        assert (broker.path.stat().st_mode & 0o777) == 0o600  # only the app's own user
        first, second = queue.Queue(), queue.Queue()
        Listening(str(broker.path)).start(first)
        Listening(str(broker.path)).start(second)
        publisher = LocalSocketManager(str(broker.path), write_only=True)
        message = {"method": "emit", "event": "notification", "room": "member:7", "data": [1]}
        # The listeners connect in the background: publish until both have one.
        while first.empty() or second.empty():
            publisher._publish(message)
            threading.Event().wait(0.05)
        assert first.get(timeout=1) == message
        assert second.get(timeout=1) == message
        publisher.close_publisher()
    finally:
        broker.close()
    assert not broker.path.exists()


def test_a_listener_quiet_for_longer_than_the_send_timeout_keeps_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web worker's listener never writes to the broker: a quiet site once cost it its
    connection every 2 s, and what a job published before it reconnected reached no one."""
    monkeypatch.setattr(live_channel, "LISTENER_SEND_TIMEOUT", 0.1)
    broker = Broker(tmp_path / "live.sock")
    broker.start()
    try:
        received: queue.Queue = queue.Queue()
        listener = Listening(str(broker.path))
        listener.start(received)
        publisher = LocalSocketManager(str(broker.path), write_only=True)
        try:
            while received.empty():
                publisher._publish({"method": "emit", "event": "hello"})
                threading.Event().wait(0.05)
            threading.Event().wait(1.0)  # ten send timeouts without a frame

            publisher._publish({"method": "emit", "event": "notification", "room": "member:7"})
            # The hellos first (counting them after publishing raced the notification's own
            # arrival). A dropped listener never gets the notification, however long the wait.
            while (event := received.get(timeout=5)["event"]) == "hello":
                pass
            assert event == "notification"
            assert listener.connections == 1  # never dropped, never reconnected
        finally:
            publisher.close_publisher()
    finally:
        broker.close()


def test_publishing_without_a_broker_loses_the_message_quietly(tmp_path: Path) -> None:
    LocalSocketManager(str(tmp_path / "nobody.sock"), write_only=True)._publish({"method": "emit"})


def test_redis_wins_over_the_local_broker_and_neither_means_none(tmp_path: Path) -> None:
    path = str(tmp_path / "live.sock")
    assert client_manager({"REDIS_URL": None, "LIVE_SOCKET": None}) is None
    assert isinstance(client_manager({"REDIS_URL": None, "LIVE_SOCKET": path}), LocalSocketManager)
    redis = client_manager({"REDIS_URL": "redis://127.0.0.1:1/0", "LIVE_SOCKET": path})
    assert type(redis).__name__ == "RedisManager"
