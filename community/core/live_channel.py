"""Socket.IO emits between the processes of one machine, without Redis.

``community run`` serves pages and sockets in gunicorn and runs the periodic jobs in a process
of their own (``community jobs``); a job's emit (a notification fan-out, a badge recount) must
still reach the sockets the web worker holds. The supervisor runs a :class:`Broker` on a UNIX
socket under ``instance/`` (mode 0600: only the app's own user may publish), and every app
process started by it gets a :class:`LocalSocketManager` naming that socket:

- publishing (any process) writes one length-prefixed JSON frame to the broker;
- a process that serves sockets starts listening with its first socket (python-socketio
  initializes its manager then), and the broker copies every frame to every listener.

A frame is a python-socketio pub/sub message (``{"method": "emit", ...}``), so the manager is
the library's own ``PubSubManager`` with two transport methods. Nothing is stored: a frame
published while no process listens reaches no one, exactly as with Redis pub/sub (the
notification itself is in the database; the page shows it on its next load).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import socketio

log = logging.getLogger(__name__)

PUBLISHER = b"P"
LISTENER = b"L"
_HEADER = struct.Struct("!I")
# A frame larger than this is refused (payloads are a few hundred bytes).
MAX_FRAME_BYTES = 1 << 20
# A listener that cannot take a frame within this long is dropped (it reconnects).
LISTENER_SEND_TIMEOUT = 2.0
RECONNECT_SECONDS = 0.5


def _frame(message: bytes) -> bytes:
    return _HEADER.pack(len(message)) + message


def _read_exactly(connection: socket.socket, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = connection.recv(size - len(chunks))
        if not chunk:
            return None
        chunks.extend(chunk)
    return bytes(chunks)


def read_frame(connection: socket.socket) -> bytes | None:
    """The next frame's body, or None when the other side closed (or sent garbage)."""
    header = _read_exactly(connection, _HEADER.size)
    if header is None:
        return None
    (size,) = _HEADER.unpack(header)
    if size > MAX_FRAME_BYTES:
        return None
    return _read_exactly(connection, size)


def _wait_until_closed(listener: socket.socket) -> None:
    """Return when a listener closes its end. A listener never sends, so a read that times
    out (the timeout is set for the broker's sends) only means the site is quiet: dropping the
    listener then lost every frame published before it reconnected."""
    while True:
        try:
            if not listener.recv(1024):
                return
        except TimeoutError:
            continue


class Broker:
    """Copies every publisher's frames to every listener; runs in the supervisor, in threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._listeners: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._server: socket.socket | None = None

    def start(self) -> None:
        self.path.unlink(missing_ok=True)  # left by a supervisor that was killed
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous_umask = os.umask(0o177)
        try:
            server.bind(str(self.path))
        finally:
            os.umask(previous_umask)
        server.listen(64)
        self._server = server
        threading.Thread(target=self._accept, name="live-broker", daemon=True).start()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        with self._lock:
            for listener in self._listeners:
                listener.close()
            self._listeners.clear()
        self.path.unlink(missing_ok=True)

    def _accept(self) -> None:
        while self._server is not None:
            try:
                connection, _address = self._server.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            role = _read_exactly(connection, 1)
            if role == LISTENER:
                connection.settimeout(LISTENER_SEND_TIMEOUT)  # bounds _forward's sends
                with self._lock:
                    self._listeners.add(connection)
                _wait_until_closed(connection)
                log.info("a live listener went away")
            elif role == PUBLISHER:
                while (body := read_frame(connection)) is not None:
                    self._forward(_frame(body))
        except OSError as error:
            log.info("a live connection ended: %s", error)
        finally:
            with self._lock:
                self._listeners.discard(connection)
            connection.close()

    def _forward(self, frame: bytes) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener.sendall(frame)
            except OSError:
                log.warning("a live listener stopped taking messages; dropped it")
                with self._lock:
                    self._listeners.discard(listener)
                listener.close()


class LocalSocketManager(socketio.PubSubManager):
    """python-socketio's pub/sub manager over the supervisor's :class:`Broker`."""

    name = "local"

    def __init__(self, path: str, channel: str = "flask-socketio", write_only: bool = False):
        super().__init__(channel=channel, write_only=write_only)
        self.path = path
        self._publisher: socket.socket | None = None
        self._publish_lock = threading.Lock()

    def _connect(self, role: bytes) -> socket.socket:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(self.path)
            connection.sendall(role)
        except OSError:
            connection.close()
            raise
        return connection

    def _publish(self, data: dict[str, Any]) -> None:
        frame = _frame(json.dumps(data, separators=(",", ":")).encode())
        with self._publish_lock:
            # Twice: a kept connection may have died with an earlier broker.
            for attempt in range(2):
                try:
                    if self._publisher is None:
                        self._publisher = self._connect(PUBLISHER)
                    self._publisher.sendall(frame)
                    return
                except OSError as error:
                    if self._publisher is not None:
                        self._publisher.close()
                        self._publisher = None
                    if attempt == 1:
                        log.warning("live message lost (%s): no broker at %s", error, self.path)

    def close_publisher(self) -> None:
        """Close the connection kept for publishing (a later publish opens another)."""
        with self._publish_lock:
            if self._publisher is not None:
                self._publisher.close()
                self._publisher = None

    def _listen(self) -> Iterator[dict[str, Any]]:
        while True:
            try:
                connection = self._connect(LISTENER)
            except OSError:
                self._sleep(RECONNECT_SECONDS)
                continue
            try:
                while (body := read_frame(connection)) is not None:
                    try:
                        yield json.loads(body)
                    except ValueError:
                        log.warning("an unreadable live message was skipped")
            except OSError:
                pass
            finally:
                connection.close()
            self._sleep(RECONNECT_SECONDS)

    def _sleep(self, seconds: float) -> None:
        if self.server is not None:
            self.server.sleep(seconds)
        else:
            time.sleep(seconds)


def client_manager(config: dict[str, Any]) -> socketio.PubSubManager | None:
    """How this process's emits reach sockets in other processes: Redis when configured,
    else ``community run``'s local broker, else nowhere (one process holds every socket)."""
    if config.get("REDIS_URL"):
        return socketio.RedisManager(config["REDIS_URL"], channel="flask-socketio")
    if config.get("LIVE_SOCKET"):
        return LocalSocketManager(config["LIVE_SOCKET"])
    return None
