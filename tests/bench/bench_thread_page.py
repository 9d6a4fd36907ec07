"""Benchmark: a 20-post thread page, in-process, as a signed-in member (issue 15).

    PYTHONPATH=. .venv/bin/python -m tests.bench.bench_thread_page            # median of 50
    PYTHONPATH=. .venv/bin/python -m tests.bench.bench_thread_page --runs 200

Builds a throwaway council in a temporary SQLite file (migrated like production), a thread of
20 posts by five authors with a few reactions and quotes, signs a member in with the Flask test
client, and asks for the thread page: 5 warm-up requests, then ``--runs`` timed ones. Prints the
median and p90 wall time and the process CPU time per request. Not part of `make test`: the
machine is shared, so compare figures taken one after the other.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from community import create_app
from community.core.events import commit
from community.extensions import db
from community.forum import reactions, services
from community.membership.services import ensure_defaults
from tests import factories
from tests.client import FormClient
from tests.conftest import make_test_config

POSTS = 20
WARM_UP = 5


def seed() -> tuple[int, str]:
    """A community, a 20-post thread by five authors, and a reader; (thread id, reader email)."""
    ensure_defaults()
    authors = [factories.make_member(name=f"Author {n}") for n in range(5)]
    reader = factories.make_member(name="Reader")
    community = factories.make_community("strategy")
    thread = factories.start_thread(authors[0], community, "Budgets", "How do you **split** it?")
    posts = []
    for number in range(1, POSTS):
        author = authors[number % len(authors)]
        body = f"Reply {number}: *{number * 5}%* on paid, the rest on @{authors[0].handle}'s plan."
        posts.append(services._add_post(author, thread, body, ""))
    commit()
    for post in posts[:6]:
        for author in authors[:3]:
            if author.id != post.author_id:
                reactions.toggle_reaction(author, post.id, "like")
    return thread.id, reader.email


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="council-thread-bench-"))
    try:
        config = make_test_config(f"sqlite:///{instance / 'bench.db'}", instance)
        app = create_app({**config, "TESTING": False, "RATELIMIT_ENABLED": False})
        app.test_client_class = FormClient
        with app.app_context():
            upgrade()
            thread_id, email = seed()
            db.session.remove()
            # Each request still runs in an app context of its own (FormClient.open).
            client: FormClient = app.test_client()  # type: ignore[assignment]
            client.sign_in(email)
            url = f"/t/{thread_id}"
            for _ in range(WARM_UP):
                assert client.get(url).status_code == 200
            walls, cpus = [], []
            for _ in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                cpus.append(time.process_time() - cpu)
                walls.append(time.perf_counter() - wall)
                assert response.status_code == 200
        walls.sort()
        print(
            f"thread page, {POSTS} posts, {args.runs} runs: "
            f"median {statistics.median(walls) * 1000:.2f} ms, "
            f"p90 {walls[int(len(walls) * 0.9)] * 1000:.2f} ms, "
            f"CPU median {statistics.median(cpus) * 1000:.2f} ms, "
            f"{len(response.data) // 1024} KiB"
        )
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
