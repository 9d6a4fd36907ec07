"""Benchmark: live delivery latency while one process holds many connected members.

    .venv/bin/python -m tests.bench.bench_live                 # 100, 500 and 1000 sockets
    .venv/bin/python -m tests.bench.bench_live --sockets 2000 --replies 200 --redis

Seeds a council (the demo plus 1,000 members), serves it with `community run` (gunicorn, one
gevent worker), connects N members with real Socket.IO clients, each with the thread page open
(in the thread's room), then posts replies one after another through HTTP as another member.
For each reply it measures, from the moment the HTTP response arrived (0 when the push got
there first):
  - the thread author's `notification` event (the stored row, pushed to their own room), and
  - every open page's `post` event (the room fan-out), across all N sockets;
and the fan-out's p99 from the moment the reply was sent ("p99 send"), end to end.
Session cookies for the N members are signed with the app's own key, so that seeding does not
spend minutes on password hashing. Not part of `make test`; the figures go into issue notes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import socketio

from tests.processes import ROOT, app_process, run_cli
from tests.servers import redis_server

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SEED = """
import json
from sqlalchemy import select
from community import create_app
from community.extensions import db
from community.forum.models import Community
from community.forum.services import create_thread
from community.members.models import Member
from community.members.sessions import start_session
from community.members.models import Tier
from tests.bench.seed import seed_large_council

app = create_app()
with app.app_context():
    seed_large_council(members=MEMBERS, requests=1)
    open_to_all = db.session.scalars(
        select(Community).join(Community.min_tier).order_by(Tier.rank, Community.id)
    ).first()
    author = db.session.scalars(select(Member).where(Member.email == "owner@council.example")).one()
    thread = create_thread(author, open_to_all, "Live benchmark", "Replies arrive here.")
    sign = app.session_interface.get_signing_serializer(app)
    members = list(db.session.scalars(
        select(Member).where(Member.email.like("bench%")).order_by(Member.id).limit(MEMBERS)
    ))
    cookies = [
        sign.dumps({"_user_id": start_session(m), "_fresh": True})
        for m in members
    ]
    people = {e: db.session.scalars(select(Member).where(Member.email == e)).one()
              for e in ("owner@council.example", "vp@council.example")}
    print(json.dumps({
        "thread": thread.id,
        "cookies": cookies,
        "author": sign.dumps({"_user_id": start_session(people["owner@council.example"]),
                              "_fresh": True}),
        "replier": sign.dumps({"_user_id": start_session(people["vp@council.example"]),
                               "_fresh": True}),
    }))
"""


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


@contextmanager
def maybe_redis(use: bool) -> Iterator[str | None]:
    if not use:
        yield None
        return
    with redis_server() as url:
        yield url


class Watcher:
    """One connected member with the thread page open: records when each post event arrives."""

    def __init__(self, cookie: str) -> None:
        self.cookie = cookie
        self.client = socketio.AsyncClient(reconnection=False)
        self.posts: dict[int, float] = {}
        self.notifications: dict[str, float] = {}
        self.client.on("post", self._on_post)
        self.client.on("notification", self._on_notification)

    async def _on_post(self, event: dict) -> None:
        self.posts[event["number"]] = time.perf_counter()

    async def _on_notification(self, payload: dict) -> None:
        self.notifications[payload["url"]] = time.perf_counter()

    async def connect(self, base: str, thread_id: int) -> None:
        await self.client.connect(
            base,
            headers={"Cookie": f"session={self.cookie}"},
            transports=["websocket"],
            wait_timeout=30,
        )
        answer = await self.client.call("watch_thread", {"thread_id": thread_id}, timeout=30)
        assert answer == {"ok": True}, answer


async def measure(base: str, seed: dict, sockets: int, replies: int) -> dict[str, float]:
    thread_id = seed["thread"]
    author = Watcher(seed["author"])
    await author.connect(base, thread_id)
    watchers = [Watcher(cookie) for cookie in seed["cookies"][:sockets]]
    started = time.perf_counter()
    try:
        for batch in range(0, len(watchers), 100):
            batch_watchers = watchers[batch : batch + 100]
            await asyncio.gather(*(w.connect(base, thread_id) for w in batch_watchers))
    except BaseException:
        await asyncio.gather(*(w.client.disconnect() for w in [author, *watchers]))
        raise
    connect_seconds = time.perf_counter() - started

    notification_latency, post_latency, post_from_send, http_ms = [], [], [], []
    jar = aiohttp.CookieJar(unsafe=True)  # keeps cookies set by 127.0.0.1 (the CSRF secret)
    async with aiohttp.ClientSession(cookies={"session": seed["replier"]}, cookie_jar=jar) as http:
        async with http.get(f"{base}/t/{thread_id}") as page:
            token = CSRF.search(await page.text()).group(1)  # type: ignore[union-attr]
        for n in range(replies):
            sent = time.perf_counter()
            async with http.post(
                f"{base}/t/{thread_id}/reply",
                data={"csrf_token": token, "body": f"Reply {n} of the benchmark, {sockets} open."},
                allow_redirects=False,
            ) as response:
                assert response.status == 302, await response.text()
                location = response.headers["Location"]
            answered = time.perf_counter()
            http_ms.append((answered - sent) * 1000)
            number = int(location.rsplit("#p", 1)[1])
            deadline = answered + 10
            while time.perf_counter() < deadline and (
                not author.notifications or any(number not in w.posts for w in watchers)
            ):
                await asyncio.sleep(0.002)
            for watcher in watchers:
                if number in watcher.posts:
                    post_latency.append(max(0.0, watcher.posts[number] - answered) * 1000)
                    post_from_send.append((watcher.posts[number] - sent) * 1000)
            if author.notifications:
                arrived = max(author.notifications.values())
                notification_latency.append(max(0.0, arrived - answered) * 1000)
            author.notifications.clear()
    missing = replies * sockets - len(post_latency) + replies - len(notification_latency)
    for watcher in [author, *watchers]:
        await watcher.client.disconnect()
    return {
        "connect_s": connect_seconds,
        "http_p50": statistics.median(http_ms),
        "notify_p50": percentile(notification_latency, 50),
        "notify_p99": percentile(notification_latency, 99),
        "post_p50": percentile(post_latency, 50),
        "post_p99": percentile(post_latency, 99),
        "sent_p99": percentile(post_from_send, 99),
        "missing": missing,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--redis", action="store_true", help="Deliver through a Redis queue.")
    args = parser.parse_args()
    most = max(args.sockets)

    instance = Path(tempfile.mkdtemp(prefix="council-bench-live-"))
    with maybe_redis(args.redis) as redis_url:
        env = dict(
            os.environ,
            COMMUNITY_INSTANCE_PATH=str(instance),
            COMMUNITY_RATELIMIT_ENABLED="false",
            COMMUNITY_NEW_MEMBER_DAYS="0",
            # The replies come from one member, faster than the per-minute posting limit.
            COMMUNITY_POSTS_PER_MINUTE="100000",
            PYTHONPATH=str(ROOT),
        )
        if redis_url:
            env["COMMUNITY_REDIS_URL"] = redis_url
        try:
            run_cli(env, "db", "upgrade")
            started = time.monotonic()
            script = SEED.replace("MEMBERS", str(most))
            result = subprocess.run(
                [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
            )
            if result.returncode != 0:
                sys.exit(f"seeding failed:\n{result.stderr}")
            seed = json.loads(result.stdout.strip().splitlines()[-1])
            print(f"seeded the demo and {most} members in {time.monotonic() - started:.1f} s")
            queue = "Redis queue" if redis_url else "local broker (community run)"
            print(f"{args.replies} replies per row; one gunicorn gevent worker; {queue}")
            print(
                f"{'sockets':>8}{'connect s':>11}{'reply ms':>10}{'notify p50':>12}"
                f"{'notify p99':>12}{'post p50':>10}{'post p99':>10}{'p99 send':>10}{'missing':>9}"
            )
            with app_process(env, instance / "server.log") as base:
                for sockets in args.sockets:
                    try:
                        row = asyncio.run(measure(base, seed, sockets, args.replies))
                    except (TimeoutError, socketio.exceptions.ConnectionError) as error:
                        print(f"{sockets:>8}  gave up: {type(error).__name__} (over capacity)")
                        break
                    print(
                        f"{sockets:>8}{row['connect_s']:>11.1f}{row['http_p50']:>10.1f}"
                        f"{row['notify_p50']:>12.1f}{row['notify_p99']:>12.1f}"
                        f"{row['post_p50']:>10.1f}{row['post_p99']:>10.1f}"
                        f"{row['sent_p99']:>10.1f}{row['missing']:>9}"
                    )
        finally:
            shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
