"""Home in the app: the landing page and a member's home."""

from flask import Flask

from community.home.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
