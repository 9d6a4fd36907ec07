"""Members: accounts, sign-in and sign-out, signed-in sessions, password reset."""

from flask import Flask

from community.core.outbox import register_task
from community.extensions import login_manager
from community.members.services import PASSWORD_RESET_TASK, request_password_reset
from community.members.sessions import load_member_for_session
from community.members.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_task(PASSWORD_RESET_TASK, request_password_reset)
    login_manager.user_loader(load_member_for_session)
