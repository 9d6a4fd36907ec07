"""Benchmark: the worst posts a member can write, and what they cost everyone else.

    .venv/bin/python -m tests.bench.bench_hostile_posts
    .venv/bin/python -m tests.bench.bench_hostile_posts --posters 2 --baseline 5
    .venv/bin/python -m tests.bench.bench_hostile_posts --seeded /tmp/council-hostile-seed

Serves a throwaway council with `community run` (gunicorn, one gevent worker) on 127.0.0.1,
with the per-minute posting limit raised so that it does not hide the cost. One client asks
for /healthz every 10 ms throughout. After a quiet baseline phase, one or more members post
the hostile inputs below as replies (each at the 20,000-character cap, except the 100 KB word,
which must be refused), each also cut down to the formatting limit and padded with prose
(the worst post of its kind that is published); then it opens the reply form quoting a
hostile post saved before the limit existed, and edits that post.

Prints, per input, the request's status and time, the server worker's CPU time for it (when
one poster runs, so requests do not overlap) and the slowest /healthz answer while it ran; then
/healthz p50/p99/max in the baseline and in the hostile phase. The goal: no request holds the
worker for more than 50 ms, so the hostile phase's /healthz p99 stays under 50 ms.
Bounded: a fixed list of requests, each with a timeout; stops by itself. With ``--seeded DIR``
the seeded database is kept in DIR and copied, untouched, into each later run's instance
(seeding costs more than the run on a loaded machine); ``COUNCIL_START_SECONDS`` (90 by
default) bounds the app's start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import requests

from community.forum.markup_budget import MAX_WEIGHT, markup_weight
from tests.processes import ROOT, app_process, csrf_token, run_cli, signed_in

CAP = 20_000
PASSWORD = "bench-password-2026"  # tests/bench/seed.py
GOAL_MS = 50.0
HEALTH_INTERVAL = 0.010
REQUEST_TIMEOUT = 120


def _fill(unit: str, length: int = CAP) -> str:
    """``unit`` repeated up to ``length`` characters (the posting cap)."""
    return (unit * (length // len(unit) + 1))[:length]


def _lines(line: str, length: int = CAP) -> str:
    return _fill(line + "\n", length)


HOSTILE: dict[str, Callable[[], str]] = {
    "[ x 20,000 (unclosed)": lambda: _fill("["),
    "*_ runs": lambda: _fill("*_"),
    "_* runs": lambda: _fill("_*"),
    "*a runs": lambda: _fill("*a "),
    "**a runs": lambda: _fill("**a"),
    "~~a runs": lambda: _fill("~~a"),
    "![[ runs": lambda: _fill("![["),
    "[![ runs": lambda: _fill("[!["),
    "[( mix (unclosed)": lambda: _fill("[("),
    "[a]( mix (unclosed)": lambda: _fill("[a]("),
    "[ and newlines": lambda: _fill("[\n"),
    "[` mix": lambda: _fill("[`"),
    "backtick runs 1..199": lambda: "".join("`" * n + "a" for n in range(1, 200))[:CAP],
    "`a runs": lambda: _fill("`a"),
    "nested lists 1,000 deep": lambda: _lines("- " * 1_000 + "a"),
    "nested ordered 1,000 deep": lambda: _lines("1. " * 1_000 + "a"),
    "nested quotes 1,000 deep": lambda: _lines("> " * 1_000 + "a"),
    "quotes and lists 1,000": lambda: _lines("> - " * 1_000 + "a"),
    "many @mentions": lambda: "".join(f"@m{n} " for n in range(4_000))[:CAP],
    "many links": lambda: _fill("[a](https://example.org/x) "),
    "many <autolinks>": lambda: _fill("<https://example.org/x> "),
    "unclosed & entities": lambda: _fill("&"),
    "table rows": lambda: "|a|b|\n|-|-|\n" + _fill("|a|b|\n", CAP - 12),
    "headings": lambda: _lines("# a"),
    "100 KB of one word (refused)": lambda: "a" * 100_000,
}
EDIT_INPUT = "*_ runs"  # the edit turns the seeded "[" post into this one
PROSE = "The council met to discuss the board's strategy for next year and agreed. " * 300


def at_the_limit(text: str) -> str:
    """The longest start of ``text`` that the formatting limit accepts, padded with prose to
    the cap: the worst post of its kind that is published."""
    low, high = 0, len(text)
    while high - low > 1:
        middle = (low + high) // 2
        fits = markup_weight(text[:middle] + "\n\n" + PROSE) <= MAX_WEIGHT
        low, high = (middle, high) if fits else (low, middle)
    return (text[:low] + "\n\n" + PROSE)[:CAP]


def bodies(name: str) -> list[tuple[str, str]]:
    """The input at the cap (refused when over the formatting limit) and at the limit."""
    text = HOSTILE[name]()
    if len(text) > CAP or markup_weight(text) <= MAX_WEIGHT:
        return [(name, text)]
    return [(name, text), ("  ... at the limit", at_the_limit(text))]


SEED = """
import json
from sqlalchemy import select
from community import create_app
from community.extensions import db
from community.forum.models import Community
from community.core.events import commit
from community.forum.services import _add_post, create_thread
from community.members.models import Member, Tier
from tests.bench.seed import seed_large_council

app = create_app()
with app.app_context():
    seed_large_council(members=POSTERS, requests=1)
    open_to_all = db.session.scalars(
        select(Community).join(Community.min_tier).order_by(Tier.rank, Community.id)
    ).first()
    owner = db.session.scalars(select(Member).where(Member.email == "owner@council.example")).one()
    thread = create_thread(owner, open_to_all, "Hostile posts", "Replies arrive here.")
    members = list(db.session.scalars(
        select(Member).where(Member.email.like("bench%")).order_by(Member.id).limit(POSTERS)
    ))
    # Quoted and edited during the run: saved straight, as a post from before the limit.
    hostile = _add_post(members[0], thread, "[" * 20000, "")
    commit()
    print(json.dumps({
        "thread": thread.id,
        "hostile_post": hostile.id,
        "emails": [m.email for m in members],
    }))
"""


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def worker_pid(instance: Path) -> int | None:
    """The gunicorn worker serving ``instance``: the process whose parent serves it too."""
    serving: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            cmdline = (entry / "cmdline").read_bytes()
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"gunicorn" in cmdline and f"={instance}".encode() in environ:
            serving[int(entry.name)] = parent
    return next((pid for pid, parent in serving.items() if parent in serving), None)


def cpu_seconds(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class HealthProbe:
    """Asks for /healthz every 10 ms in its own thread; records (sent, latency ms, phase)."""

    base: str
    phase: str = "warm-up"
    samples: list[tuple[float, float, str]] = field(default_factory=list)
    failures: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        session = requests.Session()
        while not self.stop.is_set():
            sent = time.perf_counter()
            try:
                ok = session.get(f"{self.base}/healthz", timeout=30).ok
            except requests.RequestException:
                ok = False
            latency = time.perf_counter() - sent
            if ok:
                self.samples.append((sent, latency * 1000, self.phase))
            else:
                self.failures += 1
            self.stop.wait(max(0.0, HEALTH_INTERVAL - latency))

    def latencies(self, phase: str) -> list[float]:
        return [ms for _, ms, tag in self.samples if tag == phase]

    def worst_between(self, start: float, end: float) -> float:
        inside = [ms for sent, ms, _ in self.samples if sent + ms / 1000 >= start and sent <= end]
        return max(inside, default=0.0)


@dataclass
class Row:
    name: str
    chars: int
    status: int
    started: float
    ms: float
    cpu_ms: float


def timed(name: str, chars: int, call: Callable[[], requests.Response], pid: int | None) -> Row:
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    response = call()
    ms = (time.perf_counter() - started) * 1000
    return Row(
        name, chars, response.status_code, started, ms, (cpu_seconds(pid) - cpu_before) * 1000
    )


def poster(
    session: requests.Session,
    base: str,
    thread_id: int,
    names: list[str],
    pid: int | None,
    rows: list[Row],
) -> None:
    token = csrf_token(session, f"{base}/t/{thread_id}")
    for label, body in [pair for name in names for pair in bodies(name)]:
        rows.append(
            timed(
                label,
                len(body),
                lambda body=body: session.post(
                    f"{base}/t/{thread_id}/reply",
                    data={"csrf_token": token, "body": body},
                    allow_redirects=False,
                    timeout=REQUEST_TIMEOUT,
                ),
                pid,
            )
        )


def quote_and_edit(
    session: requests.Session, base: str, seed: dict, pid: int | None, rows: list[Row]
) -> None:
    post_id = seed["hostile_post"]
    url = f"{base}/t/{seed['thread']}?quote={post_id}"
    rows.append(timed("?quote= of the [ post", 0, lambda: session.get(url, timeout=60), pid))
    token = csrf_token(session, f"{base}/p/{post_id}/edit")
    for label, body in bodies(EDIT_INPUT):
        rows.append(
            timed(
                f"edit [ post: {label.strip()}",
                len(body),
                lambda body=body: session.post(
                    f"{base}/p/{post_id}/edit",
                    data={"csrf_token": token, "body": body},
                    allow_redirects=False,
                    timeout=REQUEST_TIMEOUT,
                ),
                pid,
            )
        )


def seed_council(env: dict[str, str], posters: int) -> dict:
    run_cli(env, "db", "upgrade")
    script = SEED.replace("POSTERS", str(posters))
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"seeding failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def seeded_instance(env: dict[str, str], instance: Path, posters: int, kept: Path | None) -> dict:
    """Seed ``instance``, or copy the pristine database kept in ``kept`` by an earlier run."""
    record = kept / f"seed-{posters}.json" if kept else None
    if kept is not None and record is not None and record.exists():
        shutil.copyfile(kept / f"seed-{posters}.db", instance / "community.db")
        return json.loads(record.read_text())
    seed = seed_council(env, posters)
    if kept is not None and record is not None:
        kept.mkdir(parents=True, exist_ok=True)
        # A consistent copy of the WAL database, taken while no one writes to it.
        with (
            closing(sqlite3.connect(instance / "community.db")) as source,
            closing(sqlite3.connect(kept / f"seed-{posters}.db")) as copy,
        ):
            source.backup(copy)
        record.write_text(json.dumps(seed))
    return seed


def summary(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<18} no answers"
    return (
        f"{label:<18}{len(values):>7}{statistics.median(values):>9.1f}"
        f"{percentile(values, 99):>9.1f}{max(values):>9.1f}"
    )


def measure(
    base: str, seed: dict, instance: Path, posters: int, baseline: float, profile: Path | None
) -> None:
    pid = worker_pid(instance) if posters == 1 else None
    sessions = [signed_in(base, email, PASSWORD) for email in seed["emails"]]
    probe = HealthProbe(base)
    probing = threading.Thread(target=probe.run, daemon=True)
    probing.start()
    time.sleep(0.5)
    probe.phase = "baseline"
    time.sleep(baseline)
    probe.phase = "hostile"
    profiler = start_profiler(worker_pid(instance), profile) if profile else None
    rows: list[Row] = []
    names = list(HOSTILE)
    clients = [
        threading.Thread(
            target=poster,
            args=(sessions[n], base, seed["thread"], names[n::posters], pid, rows),
        )
        for n in range(posters)
    ]
    started = time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    quote_and_edit(sessions[0], base, seed, pid, rows)
    hostile_seconds = time.perf_counter() - started
    probe.phase = "done"
    if profiler is not None:
        profiler.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
        profiler.wait(timeout=60)
        print(f"worker profile of the hostile phase (py-spy, collapsed stacks): {profile}")
    probe.stop.set()
    probing.join()

    print(f"\n{'input':<30}{'chars':>8}{'status':>7}{'ms':>9}{'cpu ms':>8}{'healthz max':>13}")
    for row in sorted(rows, key=lambda r: r.started):
        worst = probe.worst_between(row.started, row.started + row.ms / 1000)
        print(
            f"{row.name:<30}{row.chars:>8}{row.status:>7}{row.ms:>9.0f}"
            f"{row.cpu_ms:>8.0f}{worst:>13.1f}"
        )
    print(f"\nhostile phase {hostile_seconds:.1f} s, {len(rows)} requests from {posters} poster(s)")
    print(f"{'/healthz (ms)':<18}{'answers':>7}{'p50':>9}{'p99':>9}{'max':>9}")
    print(summary("quiet baseline", probe.latencies("baseline")))
    hostile = probe.latencies("hostile")
    print(summary("hostile phase", hostile))
    if probe.failures:
        print(f"/healthz failed {probe.failures} times")
    verdict = "met" if hostile and percentile(hostile, 99) <= GOAL_MS else "NOT met"
    print(f"goal (/healthz p99 under {GOAL_MS:.0f} ms while hostile posts are made): {verdict}")
    slowest = max(rows, key=lambda r: r.cpu_ms if posters == 1 else r.ms)
    print(f"costliest request: {slowest.name} ({slowest.ms:.0f} ms, cpu {slowest.cpu_ms:.0f} ms)")


def start_profiler(pid: int | None, output: Path) -> subprocess.Popen:
    """Sample the worker with py-spy (every thread, idle ones left out) until interrupted."""
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
    command = [py_spy, "record", "--pid", str(pid), "--threads", "--format", "raw"]
    return subprocess.Popen([*command, "--rate", "250", "--output", str(output)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posters", type=int, default=1, help="Members posting at once.")
    parser.add_argument("--baseline", type=float, default=3.0, help="Quiet seconds first.")
    parser.add_argument(
        "--profile",
        type=Path,
        help="Record the worker with py-spy during the hostile phase into this file "
        "(collapsed stacks; needs py-spy, which `pip install py-spy` provides).",
    )
    parser.add_argument(
        "--seeded",
        type=Path,
        help="Keep the seeded database in this folder and reuse it in later runs.",
    )
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="council-bench-hostile-"))
    env = dict(
        os.environ,
        COMMUNITY_INSTANCE_PATH=str(instance),
        COMMUNITY_RATELIMIT_ENABLED="false",
        COMMUNITY_NEW_MEMBER_DAYS="0",
        COMMUNITY_POSTS_PER_MINUTE="1000",
        PYTHONPATH=str(ROOT),
    )
    try:
        started = time.monotonic()
        seed = seeded_instance(env, instance, args.posters, args.seeded)
        print(f"seeded in {time.monotonic() - started:.1f} s; `community run`")
        with app_process(env, instance / "server.log") as base:
            measure(base, seed, instance, args.posters, args.baseline, args.profile)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
