"""Benchmark: one notification fan-out to every member of a large council, in-process.

    .venv/bin/python -m tests.bench.bench_fanout
    .venv/bin/python -m tests.bench.bench_fanout --members 5000

Seeds a throwaway council (the demo plus ``--members`` bench members, tests/bench/seed.py),
then times, for every active member at once: an announcement (each member's badge counted for
the first time), a second one (the steady state: every badge kept), and two deliveries that
fold into one row per member ("2 new posts in ..."). Prints each one's wall and CPU time, the
CPU time per recipient (which other load on the machine does not inflate), and the longest
stretch between two commits: the longest the job runner holds the event loop (and the
database's write lock) in one go. Then the cost of one page's badge for
a member with 150 unread rows. Bounded: a fixed list of steps; stops by itself.
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

SCRIPT = """
import time
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from community import create_app
from community.extensions import db
from community.forum.models import Community
from community.forum.services import create_thread
from community.members.models import Member, MemberStatus
from community.notifications.badge import unread_count
from community.notifications.services import Draft, notify
from tests.bench.seed import seed_large_council

commits = []
event.listen(Session, "after_commit", lambda session: commits.append(time.perf_counter()))

app = create_app()
with app.app_context():
    seed_large_council(members=MEMBERS, requests=1)
    everyone = list(db.session.scalars(
        select(Member.id).where(Member.status == MemberStatus.ACTIVE)
    ))
    owner = db.session.scalars(select(Member).where(Member.email == "owner@council.example")).one()
    lounge = db.session.scalars(select(Community).order_by(Community.id)).first()
    thread = create_thread(owner, lounge, "Fan-out", "Everyone hears of this.")
    print(f"{len(everyone)} active members")
    print(f"{'delivery':<30}{'wall ms':>9}{'cpu ms':>8}{'cpu ms/recipient':>18}"
          f"{'longest hold ms':>17}")

    def timed(label, deliver):
        del commits[:]
        started, cpu = time.perf_counter(), time.process_time()
        told = deliver()
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
        stamps = [started, *commits]
        hold = max(b - a for a, b in zip(stamps, stamps[1:])) if commits else total
        print(f"{label:<30}{total * 1000:>9.0f}{cpu * 1000:>8.0f}{cpu * 1000 / told:>18.3f}"
              f"{hold * 1000:>17.1f}")

    timed("announcement (first count)", lambda: notify(everyone, Draft(
        kind="announcement", text="First", url="/")))
    timed("announcement (badges kept)", lambda: notify(everyone, Draft(
        kind="announcement", text="Second", url="/")))
    for n in (1, 2):
        timed(f"thread activity, fold {n}", lambda: notify(everyone, Draft(
            kind="watching", text="News", url="/", thread=thread,
            group_key=f"fanout:{thread.id}", folded_text="{count} new posts")))

    member = db.session.get(Member, everyone[-1])
    for n in range(146):
        notify([member.id], Draft(kind="announcement", text=f"Notice {n}", url="/"))
    db.session.expire_all()
    started = time.perf_counter()
    for _ in range(50):
        count = unread_count(member)
    took = (time.perf_counter() - started) / 50
    print(f"one page's badge, {count} unread: {took * 1000:.2f} ms")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000, help="Bench members to seed.")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="council-bench-fanout-"))
    env = dict(
        os.environ,
        COMMUNITY_INSTANCE_PATH=str(instance),
        COMMUNITY_POSTS_PER_MINUTE="1000",  # the seeded demo's posts are all this minute's
        PYTHONPATH=str(ROOT),
    )
    try:
        run_cli(env, "db", "upgrade")
        script = SCRIPT.replace("MEMBERS", str(args.members))
        if subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT).returncode:
            sys.exit("the benchmark failed (see above)")
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
