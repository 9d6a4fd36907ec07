"""Which periodic jobs a process starts, and the jobs process's own loop."""

from __future__ import annotations

import threading

import pytest

from community.core import jobs

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
