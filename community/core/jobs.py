"""Periodic jobs: outbound mail and queued tasks, search indexing, metrics, reminders.

A domain registers a job in its ``init_app``::

    jobs.register("publish-due", 60, workflow.publish_due)

The function takes no arguments; it runs in an app context with a fresh database session, so
it must commit its own work (services do). Every job must be safe to run in several processes
at once: a scaled-out deployment runs one loop each.

Where they run:

- ``community jobs`` runs them in its own process, one native thread per job, until stopped.
  ``community run`` starts it next to the web server (and restarts it if it dies), so a job
  never holds the gevent worker's requests and sockets, and it gets the machine's other core.
- A process that serves requests starts them with its first request when
  ``COMMUNITY_RUN_JOBS`` is on (the default: ``flask run``, a bare gunicorn). ``community run``
  sets ``COMMUNITY_JOBS_ELSEWHERE`` for its web worker, which then runs only the per-process
  jobs (flushing its own metrics buffer: one small INSERT every few seconds). CLI commands
  such as ``db upgrade`` never start them, and tests switch them off and call the job's
  function directly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from community.core import cpu
from community.extensions import db, socketio

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    interval_seconds: float
    run: Callable[[], object]
    # Tends this process's own memory (the metrics buffer), so every process runs it.
    per_process: bool = False


_jobs: dict[str, Job] = {}
_STARTED = "community.jobs_started"
_start_lock = threading.Lock()


def register(
    name: str, interval_seconds: float, run: Callable[[], object], *, per_process: bool = False
) -> None:
    """Run ``run()`` every ``interval_seconds`` (registering a name again replaces it); a
    ``per_process`` job works on its process's memory, so it runs in the web server too when
    the other jobs run elsewhere."""
    _jobs[name] = Job(name, interval_seconds, run, per_process)


def registered() -> list[Job]:
    return list(_jobs.values())


def run_once(app: Flask, job: Job) -> None:
    """One run in its own app context; a failure is logged and the loop goes on."""
    with app.app_context():
        try:
            job.run()
        except Exception:
            log.exception("job %s failed", job.name)
            db.session.rollback()
        finally:
            db.session.remove()


def _loop(app: Flask, job: Job) -> None:
    while True:
        socketio.sleep(job.interval_seconds)
        run_once(app, job)


def _thread_loop(app: Flask, job: Job, stop: threading.Event) -> None:
    while not stop.wait(job.interval_seconds):
        run_once(app, job)


def run_forever(app: Flask, stop: threading.Event | None = None) -> None:
    """Run every job in this process, each in a native thread of its own (a slow index update
    never delays the mail), until ``stop`` is set or the process is killed. On SQLite the
    process pauses after each write transaction (``cpu.give_way_after_writes``), so the web
    worker's writes get the write lock between a job's batches."""
    stop = stop or threading.Event()
    app.extensions[_STARTED] = True
    with app.app_context():
        cpu.give_way_after_writes(app)
    for job in registered():
        threading.Thread(
            target=_thread_loop, args=(app, job, stop), name=f"job {job.name}", daemon=True
        ).start()
        log.info("job %s runs every %ss", job.name, job.interval_seconds)
    stop.wait()


def start(app: Flask) -> bool:
    """Start one loop per registered job, once per process; returns whether it started. With
    ``JOBS_ELSEWHERE`` (a ``community jobs`` process runs them) only the per-process ones."""
    if not app.config["RUN_JOBS"]:
        return False
    with _start_lock:
        if app.extensions.get(_STARTED):
            return False
        app.extensions[_STARTED] = True
    for job in registered():
        if app.config["JOBS_ELSEWHERE"] and not job.per_process:
            continue
        socketio.start_background_task(_loop, app, job)
        log.info("job %s runs every %ss", job.name, job.interval_seconds)
    return True


def init_app(app: Flask) -> None:
    """Start the jobs with the first request this process serves."""

    def start_jobs() -> None:
        if not app.extensions.get(_STARTED):
            start(app)

    app.before_request(start_jobs)
