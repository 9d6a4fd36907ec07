"""Metrics in the app: the table joins the app's metadata; domains record through services."""

from flask import Flask

from community.metrics import models  # noqa: F401 - the table belongs to the app's metadata


def init_app(app: Flask) -> None:
    """Nothing to register yet: domains record through ``metrics.services``."""
