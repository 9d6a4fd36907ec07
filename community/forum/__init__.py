"""Discussions: communities, threads and posts, with read positions and reactions."""

from flask import Flask

from community.forum.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
