"""`community run` on one machine without Redis: the web server and a jobs process of its own.

A member's real Socket.IO client is connected to the web worker. A reply posted through the
web process reaches it twice: the thread page's "post" push (emitted by the web worker after
its commit) and the reply notification, which a queued fan-out task makes in the jobs process
and which travels to the web worker through the local broker. Killing the jobs process
restarts it, and queued work made meanwhile is delivered by the new one. An announcement made
from the command line reaches the socket too.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio

from tests.processes import (
    ROOT,
    app_process,
    cookie_header,
    pids_serving,
    reply,
    run_cli,
    signed_in,
)
from tests.scaleout.test_live_across_processes import PASSWORD, SEED, run_script

JOBS = ("community.cli", "jobs")


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("council")
    env = dict(
        os.environ,
        COMMUNITY_SECRET_KEY="jobs-process-test-secret-key-0123456789-abcdef",
        COMMUNITY_INSTANCE_PATH=str(folder),
        COMMUNITY_RATELIMIT_ENABLED="false",
        PYTHONPATH=str(ROOT),
    )
    for name in ("COMMUNITY_REDIS_URL", "COMMUNITY_DATABASE_URL", "COMMUNITY_RUN_JOBS"):
        env.pop(name, None)
    run_cli(env, "db", "upgrade")
    ids = json.loads(run_script(env, SEED.replace("PASSWORD", repr(PASSWORD))))
    with app_process(env, folder / "server.log") as base:
        yield {"base": base, "instance": folder, "env": env, **ids}


def connected(base: str, cookie: str, received: queue.Queue, thread_id: int) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.on("notification", lambda payload: received.put(("notification", payload)))
    client.on("post", lambda payload: received.put(("post", payload)))
    client.connect(base, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    assert client.call("watch_thread", {"thread_id": thread_id}, timeout=10) == {"ok": True}
    return client


def next_of(received: queue.Queue, name: str, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        kind, payload = received.get(timeout=max(0.01, deadline - time.monotonic()))
        if kind == name:
            return payload


def wait_for_jobs(instance: Path, other_than: int | None = None, timeout: float = 10) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = [pid for pid in pids_serving(instance, *JOBS) if pid != other_than]
        if pids:
            return pids[0]
        time.sleep(0.1)
    raise AssertionError("no jobs process is running")


def test_web_pushes_and_queued_jobs_pushes_reach_a_socket_and_killed_jobs_restart(council):
    base, thread_id = council["base"], council["thread"]
    jobs_pid = wait_for_jobs(council["instance"])
    author = signed_in(base, "author@bigco.com", PASSWORD)
    received: queue.Queue = queue.Queue()
    client = connected(base, cookie_header(author), received, thread_id)
    try:
        replier = signed_in(base, "replier@bigco.com", PASSWORD)
        assert reply(replier, base, thread_id, "First, from the web.").status_code == 302
        assert next_of(received, "post")["thread_id"] == thread_id
        notice = next_of(received, "notification")  # the fan-out ran in the jobs process
        assert notice["text"] == "@rory.replier replied to “Across processes”"

        os.kill(jobs_pid, signal.SIGKILL)
        assert reply(replier, base, thread_id, "Second, while jobs are down.").status_code == 302
        assert next_of(received, "post")["number"] == 3  # the web worker pushes on its own
        restarted = wait_for_jobs(council["instance"], other_than=jobs_pid)
        assert restarted != jobs_pid
        # The task queued while no jobs process ran is done by the new one, and delivered
        # (folded into the unread notice of the first reply).
        later = next_of(received, "notification", timeout=30)
        assert later["text"] == "2 new replies to “Across processes”"

        # A command run while the server serves finds the broker in the instance folder.
        run_cli(council["env"], "announce", "--text", "Summit agenda is out", "--url", "/c/")
        assert next_of(received, "notification")["text"] == "Summit agenda is out"
    finally:
        client.disconnect()


def test_the_web_server_leaves_the_jobs_to_the_jobs_process_and_knows_the_broker(council):
    web = pids_serving(council["instance"], "gunicorn")
    assert len(web) == 2  # gunicorn's master and its one worker
    for pid in web:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert b"COMMUNITY_JOBS_ELSEWHERE=1" in environ
        assert f"COMMUNITY_LIVE_SOCKET={council['instance'] / 'live.sock'}".encode() in environ
