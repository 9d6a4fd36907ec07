"""Benchmark: the owners' dashboard over a year of activity, timed in-process.

    .venv/bin/python -m tests.bench.bench_dashboard --members 2000

Seeds (bulk inserts, one statement per table) a council of 2,000 members with a year of
threads, replies, reactions, library and event activity, runs the real daily rollups over
the year, then times ``GET /admin/metrics`` through the test client as an owner: the median
of 20 requests per period. The target (issue 13) is under 300 ms. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert, select

from community import create_app
from community.core.clock import utcnow
from community.events.models import Event, Rsvp
from community.extensions import db
from community.forum.models import Community, Post, Reaction, Thread
from community.library.models import Resource
from community.members.levels import LEVEL_ORDER
from community.members.models import Member
from community.members.services import hash_password
from community.membership.services import ensure_defaults, get_tiers
from community.metrics.catalogue import REPORTS
from community.metrics.models import MetricEvent
from community.metrics.periods import last_days
from community.metrics.rollups import rebuild_rollups

DAYS = 365
PASSWORD = "bench-password-2026"
_VOCABULARY = """
board trust measurement social roi crisis playbook advocacy budget agency brand listening
analytics campaign community governance policy risk reputation great excellent worried
difficult helpful thanks launch pilot vendor team quarter
"""
WORDS = _VOCABULARY.split()


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."


def seed(members: int, threads_per_day: int, rng: random.Random) -> None:
    """Everything a year of a busy council leaves behind (member 0 is the owner)."""
    ensure_defaults()
    tiers = get_tiers()
    now = utcnow()
    first_day = now - timedelta(days=DAYS)
    password_hash = hash_password(PASSWORD)
    people = [
        {
            "email": f"bench{n}@company{n % 300}.example",
            "name": f"Bench Member {n}",
            "handle": f"bench{n}",
            "title": "Vice President",
            "level": rng.choice(LEVEL_ORDER[:5]).value,
            "company": f"Company {n % 300}",
            "region": rng.choice(["Europe", "North America", "Asia Pacific", "Latin America"]),
            "tier_id": rng.choice(tiers).id,
            "role": "owner" if n == 0 else "member",
            "password_hash": password_hash,
            "created_at": first_day + timedelta(days=rng.randrange(DAYS)) if n else first_day,
        }
        for n in range(members)
    ]
    db.session.execute(insert(Member), people)
    member_ids = list(db.session.scalars(select(Member.id).order_by(Member.id)))
    db.session.execute(
        insert(Community),
        [
            {
                "slug": f"community-{n}",
                "name": f"Community {n}",
                "category": "General",
                "min_tier_id": tiers[-1].id if n % 4 else tiers[0].id,
                "position": n,
            }
            for n in range(20)
        ],
    )
    communities = list(db.session.scalars(select(Community.id)))
    thread_rows, post_rows, reaction_rows = [], [], []
    for day in range(DAYS):
        for _ in range(threads_per_day):
            at = first_day + timedelta(days=day, minutes=rng.randrange(24 * 60))
            thread_rows.append(
                {
                    "community_id": rng.choice(communities),
                    "author_id": rng.choice(member_ids),
                    "title": _sentence(rng)[:80],
                    "created_at": at,
                    "last_posted_at": at,
                }
            )
    db.session.execute(insert(Thread), thread_rows)
    threads = list(db.session.execute(select(Thread.id, Thread.created_at, Thread.author_id)))
    for thread_id, started, author_id in threads:
        for number in range(1, rng.randint(2, 9)):
            body = _sentence(rng)
            post_rows.append(
                {
                    "thread_id": thread_id,
                    "number": number,
                    "author_id": author_id if number == 1 else rng.choice(member_ids),
                    "body": body,
                    "body_html": f"<p>{body}</p>",
                    "excerpt": body[:140],
                    "created_at": min(started + timedelta(hours=3 * number), now),
                }
            )
    db.session.execute(insert(Post), post_rows)
    posts = list(db.session.execute(select(Post.id, Post.created_at)))
    seen = set()
    for post_id, written in rng.sample(posts, k=len(posts) // 2):
        reactor = rng.choice(member_ids)
        if (post_id, reactor) not in seen:
            seen.add((post_id, reactor))
            reaction_rows.append(
                {
                    "post_id": post_id,
                    "member_id": reactor,
                    "kind": "like",
                    "created_at": min(written + timedelta(hours=1), now),
                }
            )
    db.session.execute(insert(Reaction), reaction_rows)
    db.session.execute(
        insert(Resource),
        [
            {
                "kind": rng.choice(["article", "white_paper", "research", "how_to", "video"]),
                "title": f"Resource {n}",
                "min_tier_id": tiers[-1].id,
                "status": "published",
                "published_at": first_day,
                "created_at": first_day,
                "updated_at": first_day,
            }
            for n in range(120)
        ],
    )
    resources = list(db.session.scalars(select(Resource.id)))
    db.session.execute(
        insert(Event),
        [
            {
                "title": f"Roundtable {n}",
                "starts_at": first_day + timedelta(days=7 * n, hours=15),
                "ends_at": first_day + timedelta(days=7 * n, hours=17),
                "timezone": "UTC",
                "min_tier_id": tiers[-1].id,
                "created_at": first_day,
                "updated_at": first_day,
            }
            for n in range(52)
        ],
    )
    events = list(db.session.scalars(select(Event.id)))
    db.session.execute(
        insert(Rsvp),
        [
            {"event_id": event_id, "member_id": member_id, "answer": rng.choice(["going", "maybe"])}
            for event_id in events
            for member_id in rng.sample(member_ids, k=40)
        ],
    )
    activity = []
    for member_id in member_ids:
        keenness = rng.uniform(0.02, 0.5)
        for day in range(DAYS + 1):
            if rng.random() > keenness:
                continue
            at = min(first_day + timedelta(days=day, hours=rng.randrange(24)), now)

            def event(
                action: str, kind: str, object_id: int, at: datetime = at, who: int = member_id
            ) -> None:
                activity.append(
                    {
                        "member_id": who,
                        "action": action,
                        "object_type": kind,
                        "object_id": object_id,
                        "day": at.date(),
                        "created_at": at,
                    }
                )

            event("visit", "site", 0)
            for thread_id, _started, _author in rng.sample(threads, k=2):
                event("view", "thread", thread_id)
            if rng.random() < 0.2:
                resource_id = rng.choice(resources)
                event("view", "resource", resource_id)
                if rng.random() < 0.3:
                    event("download", "resource", resource_id)
                if rng.random() < 0.1:
                    event("complete", "resource", resource_id)
            if rng.random() < 0.05:
                event("rsvp", "event", rng.choice(events))
    for batch in range(0, len(activity), 50_000):
        db.session.execute(insert(MetricEvent), activity[batch : batch + 50_000])
    db.session.commit()
    print(
        f"seeded {members} members, {len(thread_rows)} threads, {len(post_rows)} posts, "
        f"{len(reaction_rows)} reactions, {len(activity)} activity events"
    )


def time_each_report(days: int, runs: int) -> None:
    """Each report's median CPU time over ``runs`` builds (inside an app context), slowest
    first: where the page's time goes."""
    period = last_days(days)
    medians = {}
    for key, build in REPORTS.items():
        cpu = []
        for _ in range(runs):
            started_cpu = time.process_time()
            build(period)
            cpu.append(1000 * (time.process_time() - started_cpu))
            db.session.rollback()
        medians[key] = statistics.median(cpu)
    print(f"  per report at {days} days (median CPU), {sum(medians.values()):.0f} ms in all:")
    for key, median in sorted(medians.items(), key=lambda item: -item[1]):
        print(f"    {key:18s} {median:6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--threads-per-day", type=int, default=12)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    parser.add_argument(
        "--keep", default="", help="a folder for the SQLite database, kept and reused if seeded"
    )
    parser.add_argument(
        "--per-report", action="store_true", help="also time each report on its own"
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="roll a kept database up again (after a change adds or alters a rollup)",
    )
    parser.add_argument("--periods", default="7,30,90", help="the presets to time")
    args = parser.parse_args()
    instance = Path(args.keep or tempfile.mkdtemp(prefix="council-dashboard-bench-"))
    instance.mkdir(parents=True, exist_ok=True)
    seeded = bool(args.keep) and (instance / "bench.db").exists()
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "SQLALCHEMY_DATABASE_URI": args.database_url or f"sqlite:///{instance}/bench.db",
            "RUN_JOBS": False,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    try:
        with app.app_context():
            upgrade()
            if not seeded:
                started = time.monotonic()
                seed(args.members, args.threads_per_day, random.Random(13))
                print(f"seeding took {time.monotonic() - started:.1f} s")
            if not seeded or args.rebuild:
                started = time.monotonic()
                today = utcnow().date()
                days = [today - timedelta(days=n) for n in range(DAYS, -1, -1)]
                for _ in rebuild_rollups(days):
                    pass
                print(f"rolling up {DAYS + 1} days took {time.monotonic() - started:.1f} s")
            email = db.session.scalar(select(Member.email).where(Member.role == "owner"))
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        for period in args.periods.split(","):
            timings, cpu = [], []
            for _ in range(args.runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(f"/admin/metrics?period={period}")
                timings.append(1000 * (time.perf_counter() - started))
                cpu.append(1000 * (time.process_time() - started_cpu))
                assert response.status_code == 200, response.status_code
            # CPU time too: on a shared machine the wall clock also counts other jobs' turns.
            print(
                f"/admin/metrics?period={period}: median {statistics.median(timings):.0f} ms, "
                f"max {max(timings):.0f} ms, median CPU {statistics.median(cpu):.0f} ms over "
                f"{args.runs} requests ({datetime.now(UTC):%Y-%m-%d})"
            )
            if args.per_report:
                with app.app_context():
                    time_each_report(int(period), args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
