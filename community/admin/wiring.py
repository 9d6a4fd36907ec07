"""The owners' pages in the app: one blueprint, with the communities' routes on it."""

from flask import Flask

# Imported for their routes, which they register on ``bp``.
from community.admin import (  # noqa: F401
    announcements,
    communities,
    invitations,
    members,
    pitch_rules,
)
from community.admin.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
