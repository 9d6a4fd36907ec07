"""Membership in the app: the blueprint and the queued task that records a request."""

from flask import Flask

from community.core.outbox import register_task
from community.membership.applications import RECORD_REQUEST_TASK, record_request_task
from community.membership.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_task(RECORD_REQUEST_TASK, record_request_task)
