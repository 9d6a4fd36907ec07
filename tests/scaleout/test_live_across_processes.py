"""Scale-out: two app processes sharing PostgreSQL and a Redis message queue.

A member's real Socket.IO client is connected to process A. A reply posted through process B,
and an announcement from the command line, both reach it; a revocation written by another
process disconnects it within seconds; a foreign origin cannot connect at all.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import socketio
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from community.extensions import db
from tests.processes import ROOT, app_processes, cookie_header, reply, run_cli, signed_in
from tests.servers import postgres_server, redis_server

PASSWORD = "a-long-enough-password-for-tests"
SEED = """
import json
from community import create_app
from community.core.events import commit
from community.extensions import db
from community.forum.models import Community
from community.forum.services import create_thread
from community.members.services import hash_password
from community.membership.services import ensure_defaults
from tests import factories

app = create_app()
with app.app_context():
    ensure_defaults()
    author = factories.make_member(email="author@bigco.com", name="Ada Author")
    replier = factories.make_member(email="replier@bigco.com", name="Rory Replier")
    owner = factories.make_member("owner", email="owner@bigco.com", name="Olive Owner")
    for member in (author, replier, owner):
        member.password_hash = hash_password(PASSWORD)
    lounge = Community(slug="lounge", name="Lounge", description="", category="General",
                       min_tier=factories.tier("strategist"))
    db.session.add(lounge)
    commit()
    thread = create_thread(author, lounge, "Across processes", "Does it reach me?")
    print(json.dumps({"thread": thread.id, "author": author.id, "owner": owner.id}))
"""
REVOKE = """
import sys
from community import create_app
from community.extensions import db
from community.members.models import Member
from community.moderation.services import revoke_member

app = create_app()
with app.app_context():
    owner = db.session.get(Member, int(sys.argv[1]))
    revoke_member(owner, int(sys.argv[2]), "Left the industry")
"""


def run_script(env: dict[str, str], script: str, *args: str) -> str:
    return finish_script(start_script(env, script, *args))


def start_script(env: dict[str, str], script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_script(process: subprocess.Popen) -> str:
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return stdout


@contextmanager
def cluster_database(session_app: Flask) -> Iterator[tuple[str, bool]]:
    """A PostgreSQL database for the cluster, and whether it is migrated already. In the
    PostgreSQL run, a copy of the run's own migrated database (which holds only the defaults
    between tests) on the run's own server: no second server to create and no migrations to
    run again in another interpreter. Otherwise a server of its own, not migrated yet."""
    url = make_url(session_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        with postgres_server() as database_url:
            yield database_url, False
        return
    with session_app.app_context():
        db.engine.dispose()  # a template database must have no open connections
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    copy = "scaleout"
    try:
        with server.connect() as connection:
            # A connection some earlier test leaked would make the copy fail; the pool, the
            # only rightful holder, was just emptied.
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": url.database},
            )
            connection.exec_driver_sql(f'CREATE DATABASE {copy} TEMPLATE "{url.database}"')
        yield url.set(database=copy).render_as_string(hide_password=False), True
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
        server.dispose()


@pytest.fixture(scope="module")
def cluster(session_app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("cluster")
    with cluster_database(session_app) as (database_url, migrated), redis_server() as redis_url:
        env = dict(
            os.environ,
            COMMUNITY_DATABASE_URL=database_url,
            COMMUNITY_REDIS_URL=redis_url,
            COMMUNITY_SECRET_KEY="scale-out-test-secret-key-0123456789-abcdef",
            COMMUNITY_INSTANCE_PATH=str(folder),
            COMMUNITY_LIVE_SWEEP_SECONDS="1",
            PYTHONPATH=str(ROOT),
        )
        if not migrated:
            run_cli(env, "db", "upgrade")
        # The seed and both app processes start together: each spends seconds importing the
        # app, and the processes need no data to boot.
        seeding = start_script(env, SEED.replace("PASSWORD", repr(PASSWORD)))
        try:
            with app_processes(env, [folder / "a.log", folder / "b.log"]) as (a, b):
                ids = json.loads(finish_script(seeding))
                yield {"env": env, "a": a, "b": b, **ids}
        finally:
            if seeding.returncode is None:  # an app failed to start before the seed was done
                seeding.kill()
                seeding.communicate()


def live_client(base: str, cookie: str, received: queue.Queue) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.on("notification", lambda payload: received.put(payload))
    client.connect(base, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    return client


def next_notification(received: queue.Queue, kind: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        payload = received.get(timeout=max(0.01, deadline - time.monotonic()))
        if payload["kind"] == kind:
            return payload


def test_a_reply_through_b_and_a_cli_command_reach_a_socket_on_a(cluster):
    ready = requests.get(f"{cluster['a']}/readyz", timeout=5).json()
    # Both processes share PostgreSQL and Redis; no search index was built, which /readyz
    # reports without calling the process unready (search answers from the database).
    assert ready["status"] == "ready"
    assert (ready["checks"]["database"], ready["checks"]["message_queue"]) == ("ok", "ok")
    assert "searching the database" in ready["checks"]["search_index"]
    author = signed_in(cluster["a"], "author@bigco.com", PASSWORD)
    received: queue.Queue = queue.Queue()
    client = live_client(cluster["a"], cookie_header(author), received)
    try:
        replier = signed_in(cluster["b"], "replier@bigco.com", PASSWORD)
        assert reply(replier, cluster["b"], cluster["thread"], "Yes, via Redis.").status_code == 302
        payload = next_notification(received, "reply")
        assert payload["text"] == "@rory.replier replied to “Across processes”"
        assert payload["url"].startswith("/p/")

        run_cli(cluster["env"], "announce", "--text", "Summit agenda is out", "--url", "/c/")
        assert next_notification(received, "announcement")["text"] == "Summit agenda is out"
    finally:
        client.disconnect()


def test_a_foreign_origin_cannot_connect(cluster):
    author = signed_in(cluster["a"], "author@bigco.com", PASSWORD)
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            cluster["a"],
            headers={"Cookie": cookie_header(author), "Origin": "https://evil.example"},
            transports=["websocket"],
            wait_timeout=5,
        )
    anonymous = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        anonymous.connect(cluster["a"], transports=["websocket"], wait_timeout=5)


def test_a_revocation_written_elsewhere_disconnects_within_seconds(cluster):
    author = signed_in(cluster["a"], "author@bigco.com", PASSWORD)
    client = live_client(cluster["a"], cookie_header(author), queue.Queue())
    assert client.connected
    run_script(cluster["env"], REVOKE, str(cluster["owner"]), str(cluster["author"]))
    revoked_at = time.monotonic()
    while client.connected and time.monotonic() - revoked_at < 10:
        time.sleep(0.1)
    assert not client.connected, "the revoked member's socket stayed open"
    assert time.monotonic() - revoked_at < 5
    assert Path(cluster["env"]["COMMUNITY_INSTANCE_PATH"]).exists()
