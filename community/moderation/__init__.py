"""Moderation: the review queue for membership requests, and members' standing."""

from flask import Flask

from community.moderation.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
