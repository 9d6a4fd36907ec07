"""Discussions in the app: the forum's blueprint."""

from flask import Flask

from community.forum.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
