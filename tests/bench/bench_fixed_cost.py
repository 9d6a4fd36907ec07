"""Benchmark: what every signed-in page costs before it does anything of its own.

    .venv/bin/python -m tests.bench.bench_fixed_cost             # medians of 200
    .venv/bin/python -m tests.bench.bench_fixed_cost --profile   # and cProfile's top costs

On the demo data, in this process (Flask test client), prints the median CPU per request of
``/healthz`` (no session, no template), a blank signed-in page (a template that only extends
``base.html``: session, member, hooks, the navigation, compression) and the profile settings
page; the
difference between the first two is the fixed cost every signed-in page pays. The rate
limiter stays on, as in production.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from flask import render_template
from flask_migrate import upgrade

from community.demo import seed_demo
from tests.bench.bench_scale import sign_in

BLANK_PAGE = '{% extends "base.html" %}{% block content %}<p>Blank.</p>{% endblock %}'
PAGES = [
    ("/healthz", "/healthz"),
    ("blank signed-in page", "/bench/blank"),
    ("profile settings", "/settings/profile"),
]


def median_cpu_ms(client, url: str, runs: int) -> float:
    for _ in range(5):
        assert client.get(url).status_code == 200, url
    cpus = []
    for _ in range(runs):
        cpu = time.process_time()
        response = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, url
    return statistics.median(cpus) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--profile", default="", help="cProfile this path (e.g. /bench/blank).")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="council-fixed-"))
    os.environ.update(COMMUNITY_INSTANCE_PATH=str(instance), COMMUNITY_RUN_JOBS="false")
    from community import create_app  # after the environment names the instance

    app = create_app()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    blank = app.jinja_env.from_string(BLANK_PAGE)  # compiled once, like a template file
    app.add_url_rule("/bench/blank", "bench_blank", lambda: render_template(blank))
    try:
        with app.app_context():
            upgrade()
            seed_demo(force=True, echo=lambda _: None)
        client = sign_in(app)
        print(f"load average {os.getloadavg()[0]:.2f}")
        for label, path in PAGES:
            print(f"{label:<24}{median_cpu_ms(client, path, args.runs):>8.2f} ms CPU")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.runs):
                client.get(args.profile, headers={"Accept-Encoding": "br, gzip"})
            profiler.disable()
            stats = pstats.Stats(profiler).strip_dirs()
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
