"""``community run``'s supervisor: the web server and the jobs process, started and stopped
together.

The web server (gunicorn, one gevent worker: pages and sockets) runs no shared job (only the
flush of its own metrics buffer); ``community jobs`` runs them in a second process, so the
machine's second core does the indexing, fan-out and mail while the first one answers. The
jobs process is restarted when it dies (after a pause that grows while it keeps dying at
once); when the web server ends, or the supervisor is told to stop (SIGTERM, SIGINT), both
are stopped. Without Redis the supervisor also runs the live broker
(``core/live_channel.py``) that carries the jobs' emits to the web worker's sockets.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from community.config import LIVE_SOCKET_NAME
from community.core.live_channel import Broker

log = logging.getLogger(__name__)

CHECK_SECONDS = 0.2
STOP_SECONDS = 10.0
FIRST_RESTART_DELAY = 0.5
LONGEST_RESTART_DELAY = 30.0
# A jobs process that ran this long before dying is restarted at once.
HEALTHY_RUN_SECONDS = 60.0


@dataclass
class Child:
    """One supervised process and how to start it again."""

    name: str
    command: Sequence[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env)  # noqa: S603 - our argv
        self.started_at = time.monotonic()
        log.info("%s started (pid %s)", self.name, self.process.pid)

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def supervise(
    web_command: Sequence[str],
    jobs_command: Sequence[str],
    instance_path: Path,
    redis_url: str | None,
) -> int:
    """Serve until the web server ends or a signal arrives; returns the exit status."""
    env = dict(os.environ)
    broker = None
    if not redis_url:
        broker = Broker(instance_path / LIVE_SOCKET_NAME)
        broker.start()
        env["COMMUNITY_LIVE_SOCKET"] = str(broker.path)
    web = Child("web server", web_command, {**env, "COMMUNITY_JOBS_ELSEWHERE": "1"})
    jobs = Child("jobs", jobs_command, env)
    stopping = threading.Event()

    def stop(_signal: int, _frame: FrameType | None) -> None:
        stopping.set()

    for name in (signal.SIGTERM, signal.SIGINT):
        signal.signal(name, stop)
    web.start()
    jobs.start()
    restart_delay = FIRST_RESTART_DELAY
    restart_at: float | None = None
    try:
        while not stopping.wait(CHECK_SECONDS):
            code = web.exit_code()
            if code is not None:
                log.error("the web server ended (status %s); stopping", code)
                return code or 1
            if restart_at is None and jobs.exit_code() is not None:
                ran_for = time.monotonic() - jobs.started_at
                if ran_for > HEALTHY_RUN_SECONDS:
                    restart_delay = FIRST_RESTART_DELAY
                log.error(
                    "the jobs process ended (status %s); restarting in %.1fs",
                    jobs.exit_code(),
                    restart_delay,
                )
                restart_at = time.monotonic() + restart_delay
                restart_delay = min(restart_delay * 2, LONGEST_RESTART_DELAY)
            if restart_at is not None and time.monotonic() >= restart_at:
                restart_at = None
                jobs.start()
        return 0
    finally:
        jobs.stop()
        web.stop()
        if broker is not None:
            broker.close()
