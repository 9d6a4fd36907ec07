"""Membership in the app: the blueprint, the queued task that records a request, and the job
that counts expired invitations."""

from flask import Flask

from community.core import jobs
from community.core.outbox import register_task
from community.membership.applications import RECORD_REQUEST_TASK, record_request_task
from community.membership.invitations import EXPIRY_CHECK_SECONDS, note_expired_invitations
from community.membership.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_task(RECORD_REQUEST_TASK, record_request_task)
    jobs.register("invitations-expired", EXPIRY_CHECK_SECONDS, note_expired_invitations)
