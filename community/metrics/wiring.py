"""Metrics in the app: recording after each page, the flush, rollup and prune jobs, the
domain events they follow, the owners' dashboard and the ``community metrics`` commands."""

from flask import Flask

from community.core import guard_blueprint_itself, jobs
from community.metrics import models  # noqa: F401 - the tables belong to the app's metadata
from community.metrics.cli import metrics_group
from community.metrics.conversations import subscribe_rollup_listeners
from community.metrics.events import (
    FLUSH_EVERY_SECONDS,
    flush_activity,
    prune_activity,
    record_request,
    subscribe_recorders,
)
from community.metrics.rollups import ROLLUP_EVERY_SECONDS, rollup_recent
from community.metrics.summary import SUMMARY_CHECK_SECONDS, send_weekly_summary
from community.metrics.views import bp

PRUNE_EVERY_SECONDS = 24 * 60 * 60


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # Visitors get the same 404 as members: the address reveals nothing to anybody.
    guard_blueprint_itself(bp.name)
    app.after_request(record_request)
    subscribe_recorders()
    subscribe_rollup_listeners()
    # The buffer is this process's memory: every serving process flushes its own.
    jobs.register("metrics-flush", FLUSH_EVERY_SECONDS, flush_activity, per_process=True)
    jobs.register("metrics-rollup", ROLLUP_EVERY_SECONDS, rollup_recent)
    jobs.register("metrics-prune", PRUNE_EVERY_SECONDS, prune_activity)
    jobs.register("metrics-weekly-summary", SUMMARY_CHECK_SECONDS, send_weekly_summary)
    app.cli.add_command(metrics_group)
