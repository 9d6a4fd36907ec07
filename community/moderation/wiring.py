"""Moderation in the app: its two blueprints and the flag reasons the thread page offers."""

from flask import Flask

from community.moderation.flag_views import members_bp
from community.moderation.models import FlagReason
from community.moderation.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(members_bp)
    # The thread page offers the flag reasons without the forum importing moderation.
    app.context_processor(lambda: {"flag_reasons": [(r.value, r.label) for r in FlagReason]})
