"""Which periodic jobs a process starts, and the jobs process's own loop."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, update

from community.core import cpu, jobs
from community.core.events import commit
from community.core.outbox import QueuedTask
from community.extensions import db

pytestmark = pytest.mark.sqlite_only(reason="job scheduling only: --db changes nothing")


def test_a_web_server_whose_jobs_run_elsewhere_flushes_only_its_own_metrics(app, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr(
        jobs.socketio, "start_background_task", lambda fn, *args: started.append(args[1].name)
    )
    monkeypatch.setattr(app, "extensions", dict(app.extensions))  # the shared app starts none
    monkeypatch.setitem(app.config, "RUN_JOBS", True)
    monkeypatch.setitem(app.config, "JOBS_ELSEWHERE", True)
    assert jobs.start(app) is True
    # Mail, queued tasks and indexing belong to `community jobs`; the metrics buffer is this
    # process's memory, which no other process can flush.
    assert started == ["metrics-flush"]


def test_the_jobs_process_runs_every_job_in_its_own_thread_until_stopped(app, monkeypatch):
    ran: list[str] = []
    every = threading.Event()
    monkeypatch.setattr(jobs, "_jobs", {})
    monkeypatch.setattr(app, "extensions", dict(app.extensions))
    for name in ("mail", "index"):
        jobs.register(name, 0.01, lambda name=name: ran.append(name))
    stop = threading.Event()
    runner = threading.Thread(target=jobs.run_forever, args=(app, stop))
    runner.start()
    every.wait(0.3)
    stop.set()
    runner.join(timeout=5)
    assert not runner.is_alive()
    assert {"mail", "index"} <= set(ran)


def test_the_jobs_process_pauses_after_each_write_so_a_waiting_web_write_gets_the_lock(
    app, monkeypatch
):
    """SQLite's busy handler polls: without a gap after each batch's commit, the jobs process
    wins every race for the write lock and a web write waits for the whole fan-out."""
    monkeypatch.setattr(app, "extensions", dict(app.extensions))
    monkeypatch.setattr(cpu, "SHORTEST_GIVE_WAY", 0.05)

    def commit_took(write: bool) -> float:
        if write:
            db.session.execute(update(QueuedTask).where(QueuedTask.id == -1).values(attempts=0))
        else:
            db.session.execute(select(QueuedTask.id).limit(1))
        started = time.perf_counter()
        commit()
        return time.perf_counter() - started

    assert commit_took(write=True) < 0.05  # a web worker does not pause
    cpu.give_way_after_writes(app)
    assert commit_took(write=True) >= 0.05
    assert commit_took(write=False) < 0.05  # a read held no lock: nothing to give way to
