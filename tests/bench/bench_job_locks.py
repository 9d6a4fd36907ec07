"""Benchmark: how long the jobs hold SQLite's write lock, and how long a web write waits.

    .venv/bin/python -m tests.bench.bench_job_locks
    .venv/bin/python -m tests.bench.bench_job_locks --members 2000 --replies 30

With ``community run`` the jobs process and the web worker write to one SQLite file; a write
transaction holds the database's one write lock from its first INSERT, UPDATE or DELETE to its
commit, and a web write that arrives meanwhile waits (``busy_timeout``), blocking the gevent
worker. This seeds a throwaway council (the demo plus ``--members`` bench members), queues a
busy minute's work (an announcement to everyone, ``--replies`` replies in watched threads,
the demo's metrics) and runs every registered job once, then drains the queue, as the
jobs process would. Meanwhile a second process stands in for the web worker: it writes one row
every 5 ms and times how long each write waited for the lock.

Prints, per job, its wall time, its write transactions and the longest one (first write to
commit, measured by SQLAlchemy's engine events: what the lock is held for), then the web
process's write waits: p50, p99 and max. Bounded: a fixed list of steps; stops by itself.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.processes import ROOT, run_cli

# The web worker's stand-in: one tiny write transaction every 5 ms until told to stop.
PROBE = """
import sqlite3, sys, time, statistics
from pathlib import Path
database, stop = sys.argv[1], Path(sys.argv[2])
connection = sqlite3.connect(database, isolation_level=None, timeout=30)
connection.execute("PRAGMA busy_timeout=30000")
connection.execute("CREATE TABLE IF NOT EXISTS bench_probe (at REAL)")
waits = []
while not stop.exists():
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    waits.append(time.perf_counter() - started)
    connection.execute("INSERT INTO bench_probe VALUES (?)", (started,))
    connection.execute("COMMIT")
    time.sleep(0.005)
waits.sort()
ms = [wait * 1000 for wait in waits]
print(f"web writes: {len(ms)}, wait p50 {statistics.median(ms):.1f} ms, "
      f"p99 {ms[int(len(ms) * 0.99)]:.1f} ms, max {ms[-1]:.1f} ms")
"""

SCRIPT = """
import subprocess, sys, time, traceback
from pathlib import Path
from sqlalchemy import event, select
from community import create_app
from community.core import cpu, jobs
from community.core.outbox import drain
from community.extensions import db
from community.forum.models import Thread
from community.forum.services import reply
from community.members.models import Member, MemberStatus
from community.notifications.announcements import announce
from tests.bench.seed import seed_large_council

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")
holds = {}  # job name: [wall, transactions, longest hold, its first write]
current = ["seed"]


def first_write(connection, cursor, statement, parameters, context, executemany):
    if "write_since" not in connection.info and statement.lstrip()[:6].upper() in WRITES:
        connection.info["write_since"] = time.perf_counter()
        callers = [
            f"{Path(frame.filename).stem}.{frame.name}"
            for frame in traceback.extract_stack()
            if "/community/" in frame.filename and "/core/" not in frame.filename
        ]
        connection.info["first_write"] = " < ".join(callers[::-1][:3]) or statement[:60]


def ended(connection):
    since = connection.info.pop("write_since", None)
    statement = connection.info.pop("first_write", "")
    if since is None:
        return
    row = holds.setdefault(current[0], [0.0, 0, 0.0, ""])
    row[1] += 1
    hold = time.perf_counter() - since
    if hold > row[2]:
        row[2], row[3] = hold, statement


app = create_app()
with app.app_context():
    seed_large_council(members=MEMBERS, requests=1)
    everyone = db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE))
    members = list(everyone)
    threads = list(db.session.scalars(select(Thread).order_by(Thread.id).limit(REPLIES)))
    for number, thread in enumerate(threads):
        author = members[number % len(members)]
        try:
            reply(author, thread.id, f"Reply {number} for the lock benchmark.")
        except Exception as error:  # a thread the member may not see, or a locked one
            print(f"reply {number} skipped: {error}")
    announce("The summit agenda is out", "/")
    database = db.engine.url.database
    cpu.give_way_after_writes(app)  # as ``community jobs`` does (jobs.run_forever)
    event.listen(db.engine, "before_cursor_execute", first_write)
    event.listen(db.engine, "commit", ended)
    event.listen(db.engine, "rollback", ended)

stop = Path(database + ".stop")
probe = subprocess.Popen([sys.executable, "-c", PROBE_SOURCE, database, str(stop)])
time.sleep(0.5)
for job in jobs.registered():
    current[0] = job.name
    started = time.perf_counter()
    jobs.run_once(app, job)
    holds.setdefault(job.name, [0.0, 0, 0.0, ""])[0] = time.perf_counter() - started
current[0] = "drain until empty"
started = time.perf_counter()
with app.app_context():
    while drain().touched:
        pass
holds.setdefault(current[0], [0.0, 0, 0.0, ""])[0] = time.perf_counter() - started
stop.touch()
probe.wait()
print(f"{'job':<26}{'wall ms':>9}{'writes':>8}{'longest ms':>12}  where the longest began")
for name, (wall, count, longest, statement) in holds.items():
    if name != "seed":
        print(f"{name:<26}{wall * 1000:>9.0f}{count:>8}{longest * 1000:>12.1f}  {statement}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000, help="Bench members to seed.")
    parser.add_argument("--replies", type=int, default=30, help="Replies queued before.")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="council-bench-locks-"))
    env = dict(
        os.environ,
        COMMUNITY_INSTANCE_PATH=str(instance),
        COMMUNITY_POSTS_PER_MINUTE="1000",  # one member may write several of the replies
        COMMUNITY_RATELIMIT_ENABLED="false",
        COMMUNITY_RUN_JOBS="false",
        PYTHONPATH=str(ROOT),
    )
    try:
        run_cli(env, "db", "upgrade")
        script = (
            SCRIPT.replace("MEMBERS", str(args.members))
            .replace("REPLIES", str(args.replies))
            .replace("PROBE_SOURCE", repr(PROBE))
        )
        if subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT).returncode:
            sys.exit("the benchmark failed (see above)")
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
