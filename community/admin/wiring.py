"""The owners' pages in the app: one blueprint, with the communities' routes on it."""

from flask import Flask

from community.admin import communities, members  # noqa: F401 - register their routes on bp
from community.admin.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
