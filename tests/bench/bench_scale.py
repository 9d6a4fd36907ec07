"""Benchmark: the main pages in-process on issue 15's data set, against the demo-size set.

    .venv/bin/python -m tests.bench.bench_scale            # 2,000 members, 5,000 threads...
    .venv/bin/python -m tests.bench.bench_scale --small    # the demo, thread 1 at 50 posts
    .venv/bin/python -m tests.bench.bench_scale --keep /tmp/scale   # seed once, reuse after
    .venv/bin/python -m tests.bench.bench_scale --small --profile /t/1   # and cProfile's top

Seeds (bulk Core inserts) 2,000 members, 20 communities, 5,000 threads and 100,000 posts,
every member joined before the first post (the worst case for "what's new"), thread 1 with 50
posts; then prints the median of 50 signed-in requests (Flask test client, in this process)
for home, the communities index, a community page and thread 1's first page of 20 posts.
A page whose cost grows with the forum shows here as a large/small ratio above 1.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import exists, func, insert, literal, select, update

from community.core.clock import utcnow
from community.core.outbox import drain_all
from community.demo import seed_demo
from community.extensions import db
from community.forum.markdown import render_markdown
from community.forum.models import Community, Post, Thread
from community.members.models import Member
from community.members.services import hash_password
from community.membership.services import get_tiers
from community.notifications.models import UnreadBadge

READER = "ceo@council.example"  # a council-tier member (not an owner): sees the most, by tier
PASSWORD = "council-demo-2026"
PAGES = [
    ("home", "/"),
    ("communities", "/c/"),
    ("community page", "/c/{slug}"),
    ("thread page (20 posts)", "/t/1"),
]
POST_BODY = "A **considered** answer, with a [link](https://hbr.org) and a second sentence."


def seed_scale(members: int, communities: int, threads: int, posts: int) -> None:
    """The issue's data set on top of the demo, one bulk statement per table."""
    seed_demo(force=True, echo=lambda _: None)
    drain_all()  # the demo's queued work (indexing, notifying), done before the bulk rows
    now = utcnow()
    start = now - timedelta(days=365)  # the first post; every member joined before it
    tiers = get_tiers()
    password_hash = hash_password("bench-password-2026")
    db.session.execute(update(Member).values(created_at=start - timedelta(days=60)))
    _insert_many(
        Member,
        [
            {
                "email": f"scale{n}@company{n % 400}.example",
                "name": f"Scale Member {n}",
                "handle": f"scale{n}",
                "title": "Vice President",
                "level": "vp",
                "company": f"Company {n % 400}",
                "region": "Europe",
                "tier_id": tiers[n % len(tiers)].id,
                "password_hash": password_hash,
                "created_at": start - timedelta(days=30),
            }
            for n in range(members)
        ],
    )
    # Every member created by the app has a badge row (``notifications.badge.open_badge``);
    # the bulk insert above bypassed that, so the rows come here, fresh at 0.
    db.session.execute(
        insert(UnreadBadge).from_select(
            ["member_id", "unread", "version"],
            select(Member.id, literal(0), literal(0)).where(
                ~exists().where(UnreadBadge.member_id == Member.id)
            ),
        )
    )
    existing = db.session.scalar(select(func.count(Community.id))) or 0
    _insert_many(
        Community,
        [
            {
                "slug": f"scale-{n}",
                "name": f"Scale Community {n}",
                "category": "Scale",
                "min_tier_id": tiers[n % len(tiers)].id,
                "position": n,
            }
            for n in range(max(communities - existing, 0))
        ],
    )
    community_ids = list(db.session.scalars(select(Community.id).order_by(Community.id)))
    author_ids = list(db.session.scalars(select(Member.id).order_by(Member.id).limit(200)))
    _add_threads(community_ids, author_ids, threads, posts, start, now)
    db.session.commit()


def _insert_many(model: type, rows: list[dict]) -> list[int]:
    """One bulk INSERT of ``rows`` (none: nothing, where an empty list would insert one
    row of defaults); the new ids in order."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _add_threads(community_ids, author_ids, threads, posts, start, now) -> None:
    """``threads`` new threads sharing ``posts`` posts, and thread 1 topped up to 50 posts."""
    html = render_markdown(POST_BODY)
    span = (now - start) / max(threads, 1)
    per_thread = posts // threads if threads else 0
    thread_ids = _insert_many(
        Thread,
        [
            {
                "community_id": community_ids[n % len(community_ids)],
                "author_id": author_ids[n % len(author_ids)],
                "title": f"Scale thread {n}",
                "highest_post_number": per_thread,
                "post_count": per_thread,
                "last_posted_at": start + span * (n + 1),
                "last_poster_id": author_ids[(n + 1) % len(author_ids)],
                "created_at": start + span * n,
            }
            for n in range(threads)
        ],
    )
    rows = [
        {
            "thread_id": thread_ids[n],
            "number": number,
            "author_id": author_ids[(n + number) % len(author_ids)],
            "body": POST_BODY,
            "body_html": html,
            "created_at": start + span * n + timedelta(seconds=number),
        }
        for n in range(threads)
        for number in range(1, per_thread + 1)
    ]
    thread_one = db.session.get(Thread, 1)
    for number in range(thread_one.highest_post_number + 1, 51):
        rows.append(
            {
                "thread_id": 1,
                "number": number,
                "author_id": author_ids[number % len(author_ids)],
                "body": POST_BODY,
                "body_html": html,
                "created_at": now - timedelta(minutes=60 - number),
            }
        )
    for chunk in range(0, len(rows), 20_000):
        _insert_many(Post, rows[chunk : chunk + 20_000])
    thread_one.highest_post_number = thread_one.post_count = 50
    # The counters the lists show, from the rows just written.
    totals = select(
        Thread.community_id, func.count(Thread.id), func.sum(Thread.post_count)
    ).group_by(Thread.community_id)
    db.session.flush()
    for community_id, thread_count, post_count in db.session.execute(totals).all():
        db.session.execute(
            update(Community)
            .where(Community.id == community_id)
            .values(thread_count=thread_count, post_count=post_count, last_posted_at=now)
        )


def sign_in(app: Flask):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = {"csrf_token": token, "email": READER, "password": PASSWORD}
    response = client.post("/login", data=form)
    assert response.status_code in (302, 303), response.status_code
    return client


def median_ms(client, url: str, runs: int) -> tuple[float, float]:
    """(median wall ms, median CPU ms of this process) per request: on a shared machine the
    CPU time is the steadier figure, since waiting for a core does not count in it."""
    for _ in range(3):  # warm: the first visit may build the member's unread state
        assert client.get(url).status_code == 200, url
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        assert response.status_code == 200, url
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="The demo-size set only.")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--keep",
        default="",
        help="The instance folder to seed once and reuse (seeding the large set takes minutes).",
    )
    parser.add_argument("--profile", default="", help="cProfile this path (e.g. /t/1).")
    args = parser.parse_args()
    instance = Path(args.keep or tempfile.mkdtemp(prefix="council-scale-"))
    instance.mkdir(parents=True, exist_ok=True)
    seeded = (instance / "seeded").exists()
    os.environ.update(
        COMMUNITY_INSTANCE_PATH=str(instance),
        COMMUNITY_RATELIMIT_ENABLED="false",
        COMMUNITY_RUN_JOBS="false",  # no job thread sharing the process while it is timed
    )
    from community import create_app  # after the environment names the instance

    app = create_app()
    try:
        with app.app_context():
            upgrade()
            started = time.monotonic()
            if seeded:
                pass  # --keep: the folder's database was seeded by an earlier run
            elif args.small:
                seed_scale(members=0, communities=0, threads=0, posts=0)
            else:
                seed_scale(members=2000, communities=20, threads=5000, posts=100_000)
            if args.keep:
                (instance / "seeded").touch()
            counts = {
                model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (Member, Community, Thread, Post)
            }
            slug = db.session.scalar(select(Community.slug).order_by(Community.id).limit(1))
            print(f"seeded {counts} in {time.monotonic() - started:.1f} s")
        client = sign_in(app)
        print(f"load average {os.getloadavg()[0]:.2f}")
        print(f"{'page':<26}{'median ms':>10}{'CPU ms':>10}")
        for label, path in PAGES:
            wall, cpu = median_ms(client, path.format(slug=slug), args.runs)
            print(f"{label:<26}{wall:>10.2f}{cpu:>10.2f}")
        if args.profile:
            profile(client, args.profile.format(slug=slug), args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(instance, ignore_errors=True)


def profile(client, url: str, runs: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
