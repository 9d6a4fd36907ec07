"""The local broker of ``community run``: emits from one process reach another's listener."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pytest

from community.core.live_channel import Broker, LocalSocketManager, client_manager

pytestmark = pytest.mark.sqlite_only(reason="sockets between processes: --db changes nothing")


class Listening(LocalSocketManager):
    """A manager whose listener thread is run by hand, as a serving process would run it."""

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


def test_publishing_without_a_broker_loses_the_message_quietly(tmp_path: Path) -> None:
    LocalSocketManager(str(tmp_path / "nobody.sock"), write_only=True)._publish({"method": "emit"})


def test_redis_wins_over_the_local_broker_and_neither_means_none(tmp_path: Path) -> None:
    path = str(tmp_path / "live.sock")
    assert client_manager({"REDIS_URL": None, "LIVE_SOCKET": None}) is None
    assert isinstance(client_manager({"REDIS_URL": None, "LIVE_SOCKET": path}), LocalSocketManager)
    redis = client_manager({"REDIS_URL": "redis://127.0.0.1:1/0", "LIVE_SOCKET": path})
    assert type(redis).__name__ == "RedisManager"
