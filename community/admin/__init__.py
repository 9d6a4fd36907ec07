"""Owners' pages: the membership policy, tiers and the audit log."""

from flask import Flask

from community.admin import communities  # noqa: F401 - registers its routes on bp
from community.admin.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
