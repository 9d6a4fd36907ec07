"""Periodic jobs run inside the serving process (``community run``, one gevent worker).

A domain registers a job in its ``init_app``::

    jobs.register("publish-due", 60, workflow.publish_due)

The function takes no arguments; it runs in an app context with a fresh database session, so
it must commit its own work (services do). Jobs start with the first request a process serves
and only when ``COMMUNITY_RUN_JOBS`` is on (the default); CLI commands such as ``db upgrade``
never start them, and tests switch them off and call the job's function directly. Every job
must be safe to run in several processes at once: a scaled-out deployment runs one loop each.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from community.extensions import db, socketio

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    interval_seconds: float
    run: Callable[[], object]


_jobs: dict[str, Job] = {}
_STARTED = "community.jobs_started"
_start_lock = threading.Lock()


def register(name: str, interval_seconds: float, run: Callable[[], object]) -> None:
    """Run ``run()`` every ``interval_seconds`` (registering a name again replaces it)."""
    _jobs[name] = Job(name, interval_seconds, run)


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


def start(app: Flask) -> bool:
    """Start one loop per registered job, once per process; returns whether it started."""
    if not app.config["RUN_JOBS"]:
        return False
    with _start_lock:
        if app.extensions.get(_STARTED):
            return False
        app.extensions[_STARTED] = True
    for job in registered():
        socketio.start_background_task(_loop, app, job)
        log.info("job %s runs every %ss", job.name, job.interval_seconds)
    return True


def init_app(app: Flask) -> None:
    """Start the jobs with the first request this process serves."""

    def start_jobs() -> None:
        if not app.extensions.get(_STARTED):
            start(app)

    app.before_request(start_jobs)
