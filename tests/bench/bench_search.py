"""Benchmark: search at scale on both backends, in one process.

    .venv/bin/python -m tests.bench.bench_search
    .venv/bin/python -m tests.bench.bench_search --posts 20000 --threads 1000 --backends postgres

Starts a throwaway PostgreSQL server (tests/servers.py), migrates it, seeds the demo and a large
council (tests/bench/seed.py), then bulk-inserts forum threads and posts of realistic text:
2-5 paragraphs each, words drawn from a Zipf-distributed vocabulary. For each backend
(the database is the same for both) it rebuilds the index with the progress bar that
`community search reindex` shows and times it, then times ``backend.search`` for a
strategist-tier searcher (top 20, the tier filter inside the query) over query families:
common one-word and two-word queries, rare words, phrases, prefixes, words that match nothing,
and a common word filtered to one community. Prints median and p95 per family, in ms, and
the CPU per query (this process's and the database server's, read from /proc): on a loaded
machine the wall times mostly measure waiting for a core, the CPU does not. Seeding and
reindexing show progress bars and print their wall and CPU seconds.

Then, per backend, the issue's responsiveness goal: the app served as in production
(`community run`: gunicorn, one gevent worker) on the same database and index, four clients
signed in as a strategist searching /search without pause (the families above, in turn)
while a fifth asks for /healthz every 10 ms; prints /healthz p50/p99/max (goal: p99 under
100 ms) and the searches' own p50/p95 and rate.
Bounded: a fixed number of queries and seconds; the servers are stopped and removed at the end.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import click
import requests
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import insert, select
from sqlalchemy import text as sql

from community import create_app
from community.access.search import SearchScope
from community.core.clock import utcnow
from community.extensions import db
from community.forum.models import Community, Post, Thread
from community.members.models import Member, Tier
from community.members.sessions import start_session
from community.search import documents, indexing
from community.search.backend import QueryRefused, SearchRequest
from tests.bench.seed import seed_large_council
from tests.processes import ROOT, app_process
from tests.servers import postgres_server

DOMAIN_WORDS = [
    "strategy",
    "social",
    "customer",
    "budget",
    "growth",
    "brand",
    "content",
    "team",
    "market",
    "community",
    "data",
    "campaign",
    "audience",
    "engagement",
    "leadership",
    "metrics",
    "platform",
    "channel",
    "pricing",
    "hiring",
    "retention",
    "partner",
    "agency",
    "board",
    "quarter",
    "review",
    "planning",
    "launch",
    "insight",
    "vendor",
]
SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "tel",
    "an",
    "vor",
    "si",
    "den",
    "lu",
    "pra",
    "qui",
    "mo",
    "est",
    "nar",
    "ul",
    "fe",
    "zin",
    "cor",
    "ba",
    "tri",
]
ZIPF_EXPONENT = 1.07
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
VOCABULARY = 30_000
SEARCH_CLIENTS = 4
HEALTH_EVERY_S = 0.01
GOAL_MS = 100.0
FAMILIES = ("common word", "two words", "rare word", "phrase", "prefix", "no hit", "filtered")


def vocabulary(rng: random.Random) -> list[str]:
    """Domain words first (the most frequent), then made-up words, most frequent first."""
    words = list(DOMAIN_WORDS)
    seen = set(words)
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Writer:
    """Sentences of words drawn by Zipf's law from the vocabulary."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.rng = rng
        weights = [1 / (rank**ZIPF_EXPONENT) for rank in range(1, len(words) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def paragraph(self) -> str:
        lengths = [self.rng.randint(8, 18) for _ in range(self.rng.randint(3, 6))]
        # One draw for the paragraph: a call per sentence was most of the seeding time.
        drawn = self.rng.choices(self.words, cum_weights=self.cumulative, k=sum(lengths))
        sentences, at = [], 0
        for length in lengths:
            sentences.append(" ".join(drawn[at : at + length]).capitalize() + ".")
            at += length
        return " ".join(sentences)

    def post(self) -> str:
        return "\n\n".join(self.paragraph() for _ in range(self.rng.randint(2, 5)))


def seed_forum(posts: int, threads: int, writer: Writer) -> None:
    """``threads`` threads holding ``posts`` posts in all, across the demo's communities."""
    communities = list(db.session.scalars(select(Community.id).order_by(Community.id)))
    authors = list(db.session.scalars(select(Member.id).order_by(Member.id).limit(500)))
    rng = writer.rng
    start = utcnow() - timedelta(days=365)
    per_thread = max(1, posts // threads)
    bar = click.progressbar(length=threads * per_thread, label="Seeding posts", file=sys.stderr)
    for first in range(0, threads, 250):
        batch = range(first, min(threads, first + 250))
        thread_ids = db.session.scalars(
            insert(Thread).returning(Thread.id, sort_by_parameter_order=True),
            [
                {
                    "community_id": communities[n % len(communities)],
                    "author_id": authors[n % len(authors)],
                    "title": " ".join(writer.paragraph().split()[:6]).rstrip("."),
                    "highest_post_number": per_thread,
                    "post_count": per_thread,
                    "last_posted_at": start + timedelta(minutes=n * 90),
                    "last_poster_id": authors[n % len(authors)],
                    "created_at": start + timedelta(minutes=n * 90),
                }
                for n in batch
            ],
        ).all()
        rows = []
        for thread_id in thread_ids:
            for number in range(1, per_thread + 1):
                body = writer.post()
                html = "".join(f"<p>{part}</p>" for part in body.split("\n\n"))
                rows.append(
                    {
                        "thread_id": thread_id,
                        "number": number,
                        "author_id": rng.choice(authors),
                        "body": body,
                        "body_html": html,
                        "excerpt": body[:200],
                        "revision_count": 0,
                        "held_reason": "",
                        "created_at": start + timedelta(minutes=thread_id * 90 + number),
                    }
                )
        db.session.execute(insert(Post), rows)
        db.session.commit()
        bar.update(len(rows))
    bar.render_finish()


def queries(words: list[str], bodies: list[str], count: int) -> dict[str, list[str]]:
    """``count`` queries per family; phrases are two adjacent words of seeded posts, so each
    finds at least one (two random words were almost never adjacent anywhere)."""
    rng = random.Random(11)
    common = words[:60]
    rare = words[8_000:20_000]
    phrases = []
    for body in rng.sample(bodies, count):
        sentence = rng.choice(body.split(". ")).rstrip(".").lower().split()
        at = rng.randrange(len(sentence) - 1)
        phrases.append(f'"{sentence[at]} {sentence[at + 1]}"')
    return {
        "common word": [rng.choice(common) for _ in range(count)],
        "two words": [f"{rng.choice(common)} {rng.choice(common)}" for _ in range(count)],
        "rare word": [rng.choice(rare) for _ in range(count)],
        "phrase": phrases,
        "prefix": [rng.choice(common)[:4] + "*" for _ in range(count)],
        "no hit": [f"zzqx{n}" for n in range(count)],
        "filtered": [rng.choice(common) for _ in range(count)],
    }


def server_cpu() -> float:
    """CPU seconds the local PostgreSQL server's client backends have used so far (from
    /proc: the server is this machine's), so that a search's cost counts the database's part
    too. On a loaded machine wall times mostly measure waiting for a core; CPU does not."""
    pids = db.session.scalars(
        sql("SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'")
    )
    used = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        used += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return used


def cpu_now() -> float:
    """This process's CPU seconds plus the database server's."""
    return time.process_time() + server_cpu()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_backend(
    app: Flask, name: str, families: dict[str, list[str]], community_id: int
) -> dict[str, tuple[float, float, float, float]]:
    """Per family: p50 and p95 wall ms, CPU ms per query (this process and the database
    server), median hits; and the reindex's wall and CPU seconds."""
    app.config["SEARCH_BACKEND"] = name
    with app.app_context():
        total = documents.count_all()
        started, cpu_started = time.perf_counter(), cpu_now()
        with click.progressbar(length=total, label=f"Indexing ({name})", file=sys.stderr) as bar:
            stored = indexing.rebuild(progress=bar.update)
        reindex, reindex_cpu = time.perf_counter() - started, cpu_now() - cpu_started
        print(
            f"{name}: reindexed {stored} documents in {reindex:.1f} s ({reindex_cpu:.1f} s CPU)",
            flush=True,
        )
        backend = indexing.get_backend()
        strategist = db.session.scalar(select(Tier.rank).order_by(Tier.rank).limit(1))
        scope = SearchScope(max_rank=strategist)
        results: dict[str, tuple[float, float, float, float]] = {}
        for family, texts in families.items():
            timings, hits = [], []
            cpu_started = cpu_now()
            for text in texts:
                request = SearchRequest(
                    text, community_id=community_id if family == "filtered" else None
                )
                began = time.perf_counter()
                try:
                    page = backend.search(request, scope)
                    hits.append(page.total)
                except QueryRefused:
                    hits.append(-1)
                timings.append((time.perf_counter() - began) * 1000)
                db.session.rollback()  # as a request ends: nothing held between searches
            cpu_ms = (cpu_now() - cpu_started) * 1000 / len(texts)
            results[family] = (
                statistics.median(timings),
                percentile(timings, 0.95),
                cpu_ms,
                statistics.median(hits),
            )
        results["reindex s"] = (reindex, reindex, reindex_cpu, stored)
        return results


def strategist_cookie(app: Flask) -> str:
    """A signed session cookie for a strategist-tier member of the seeded council."""
    with app.app_context():
        lowest = db.session.scalar(select(Tier.id).order_by(Tier.rank).limit(1))
        member = db.session.scalars(
            select(Member).where(Member.tier_id == lowest, Member.status == "active").limit(1)
        ).one()
        sign = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        return str(sign.dumps({"_user_id": start_session(member), "_fresh": True}))


def under_load(
    app: Flask, name: str, url: str, instance: Path, families: dict[str, list[str]], seconds: float
) -> dict[str, float]:
    """/healthz latency while ``SEARCH_CLIENTS`` clients search the served app non-stop."""
    env = dict(
        os.environ,
        COMMUNITY_DATABASE_URL=url,
        COMMUNITY_INSTANCE_PATH=str(instance),
        COMMUNITY_SEARCH_BACKEND=name,
        COMMUNITY_SEARCH_INDEX_PATH=str(instance / "search-index"),
        COMMUNITY_SECRET_KEY=app.config["SECRET_KEY"],
        COMMUNITY_RATELIMIT_ENABLED="false",
        PYTHONPATH=str(ROOT),
    )
    cookie = strategist_cookie(app)
    texts = [text for family in FAMILIES for text in families[family]]
    health: list[float] = []
    searches: list[float] = []
    failures: list[str] = []
    with app_process(env, instance / f"server-{name}.log") as base:
        stop = time.monotonic() + seconds

        def search(offset: int) -> None:
            session = requests.Session()
            session.headers["Cookie"] = f"session={cookie}"
            for text in itertools.islice(itertools.cycle(texts), offset, None):
                if time.monotonic() > stop:
                    return
                began = time.perf_counter()
                answer = session.get(f"{base}/search", params={"q": text}, timeout=60)
                searches.append((time.perf_counter() - began) * 1000)
                if answer.status_code != 200 or "Search" not in answer.text:
                    failures.append(f"/search?q={text}: {answer.status_code}")

        def probe() -> None:
            session = requests.Session()
            while time.monotonic() < stop:
                began = time.perf_counter()
                if not session.get(f"{base}/healthz", timeout=60).ok:
                    failures.append("/healthz failed")
                health.append((time.perf_counter() - began) * 1000)
                time.sleep(HEALTH_EVERY_S)

        workers = [
            threading.Thread(target=search, args=(n * 7,)) for n in range(SEARCH_CLIENTS)
        ] + [threading.Thread(target=probe)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    if failures:
        print(f"{name}: {len(failures)} failures under load, e.g. {failures[:3]}")
    return {
        "health p50": statistics.median(health),
        "health p99": percentile(health, 0.99),
        "health max": max(health),
        "health n": len(health),
        "search p50": statistics.median(searches),
        "search p95": percentile(searches, 0.95),
        "search rate": len(searches) / seconds,
    }


def print_load(name: str, row: dict[str, float]) -> None:
    verdict = "met" if row["health p99"] < GOAL_MS else "NOT met"
    print(
        f"{name:<10}{row['health n']:>8.0f}{row['health p50']:>9.1f}{row['health p99']:>9.1f}"
        f"{row['health max']:>9.1f}{row['search p50']:>11.1f}{row['search p95']:>11.1f}"
        f"{row['search rate']:>9.1f}   {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=40, help="per family")
    parser.add_argument("--backends", nargs="+", default=["whoosh", "postgres"])
    parser.add_argument("--load-seconds", type=float, default=30, help="0: skip the load phase")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="council-bench-search-"))
    try:
        with postgres_server() as url:
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": url,
                    "INSTANCE_PATH": str(instance),
                    "SEARCH_INDEX_PATH": str(instance / "search-index"),
                    "RUN_JOBS": False,
                    "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
                }
            )
            rng = random.Random(7)
            words = vocabulary(rng)
            writer = Writer(words, rng)
            with app.app_context():
                upgrade()
                started = time.perf_counter()
                seed_large_council(members=500, requests=1)
                council = time.perf_counter() - started
                started, cpu_started = time.perf_counter(), cpu_now()
                seed_forum(args.posts, args.threads, writer)
                bodies = list(db.session.scalars(select(Post.body).limit(10 * args.queries)))
                open_community = db.session.scalar(
                    select(Community.id).join(Community.min_tier).order_by(Tier.rank).limit(1)
                )
                print(
                    f"seeded the council in {council:.1f} s, the forum in "
                    f"{time.perf_counter() - started:.1f} s ({cpu_now() - cpu_started:.1f} s CPU)",
                    flush=True,
                )
            families = queries(words, bodies, args.queries)
            report, load = {}, {}
            for name in args.backends:
                report[name] = bench_backend(app, name, families, open_community or 0)
                if args.load_seconds:
                    try:
                        load[name] = under_load(
                            app, name, url, instance, families, args.load_seconds
                        )
                    except (RuntimeError, requests.RequestException) as error:
                        print(f"{name}: the load phase failed: {error}", flush=True)
            with app.app_context():
                db.engine.dispose()
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    print(f"\n{args.posts} posts in {args.threads} threads; {args.queries} queries per family")
    print("wall p50 / p95 and CPU per query in ms (this process + the database), median hits")
    print(f"{'family':<14}" + "".join(f"{name + ' p50 / p95 / cpu (hits)':>44}" for name in report))
    for family in (*FAMILIES, "reindex s"):
        cells = []
        for name in report:
            p50, p95, cpu, hits = report[name][family]
            cells.append(f"{p50:9.1f} / {p95:7.1f} / {cpu:7.1f} ({hits:>7.0f})")
        print(f"{family:<14}" + "".join(f"{cell:>44}" for cell in cells))
    if load:
        print(
            f"\nWhile {SEARCH_CLIENTS} clients search /search for {args.load_seconds:.0f} s "
            f"(one gunicorn gevent worker), /healthz every {HEALTH_EVERY_S * 1000:.0f} ms:"
        )
        print(
            f"{'backend':<10}{'answers':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
            f"{'search p50':>11}{'search p95':>11}{'req/s':>9}   goal p99 < {GOAL_MS:.0f} ms"
        )
        for name, row in load.items():
            print_load(name, row)


if __name__ == "__main__":
    main()
