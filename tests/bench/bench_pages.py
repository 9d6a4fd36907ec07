"""Benchmark: seed a large council, serve it with `community run`, load pages with wrk.

    make bench            # or: .venv/bin/python -m tests.bench.bench_pages --members 5000

Prints requests per second and latency percentiles per page. Not part of `make test`: the
numbers go into the issue notes, measured on the same kind of machine each time.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.processes import COMMUNITY, ROOT, START_SECONDS
from tests.servers import free_port

PAGES = [
    ("landing (visitor)", "/", False),
    ("apply form (visitor)", "/apply", False),
    ("home (member)", "/", True),
    ("review queue", "/moderation/requests", True),
    ("member list", "/moderation/members", True),
    ("audit log", "/admin/audit", True),
    ("communities", "/c/", True),
    ("community page", "/c/social-strategy", True),
    ("thread page", "/t/1", True),
    ("notifications", "/notifications", True),
    ("library", "/library", True),
    ("library resource", "/library/1", True),
    ("events", "/events", True),
    ("event page", "/events/1", True),
]


def seed(env: dict[str, str], members: int, requests: int) -> None:
    script = f"""
from community import create_app
from tests.bench.seed import seed_large_council
app = create_app()
with app.app_context():
    seed_large_council(members={members}, requests={requests})
"""
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=ROOT)


def sign_in(base: str, email: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    opener.open(f"{base}/login", data=data.encode())
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def wrk(url: str, cookie: str | None, seconds: int, connections: int) -> dict[str, str]:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    stats = {"rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)}  # type: ignore[union-attr]
    for pct in ("50", "99"):
        stats[f"p{pct}"] = re.search(rf"\s{pct}(?:\.000)?%\s+([\d.]+\w+)", out).group(1)  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    stats["errors"] = errors.group(1) if errors else "0"
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (make bench does it).")

    instance = Path(tempfile.mkdtemp(prefix="council-bench-"))
    port = free_port()
    env = dict(
        os.environ,
        COMMUNITY_INSTANCE_PATH=str(instance),
        COMMUNITY_PORT=str(port),
        COMMUNITY_RATELIMIT_ENABLED="false",
    )
    subprocess.run([COMMUNITY, "db", "upgrade"], env=env, check=True, capture_output=True)
    started = time.monotonic()
    seed(env, args.members, args.requests)
    print(
        f"seeded {args.members} members and {args.requests} pending requests "
        f"in {time.monotonic() - started:.1f} s"
    )
    server = subprocess.Popen(
        [COMMUNITY, "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - loopback only
                break
            except OSError:
                time.sleep(0.2)
        cookie = sign_in(base, "owner@council.example", "council-demo-2026")
        print(f"{'page':<24}{'req/s':>8}{'p50':>10}{'p99':>10}{'non-2xx':>9}")
        for label, path, signed_in in PAGES:
            stats = wrk(base + path, cookie if signed_in else None, args.seconds, args.connections)
            print(
                f"{label:<24}{stats['rps']:>8}{stats['p50']:>10}{stats['p99']:>10}"
                f"{stats['errors']:>9}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
