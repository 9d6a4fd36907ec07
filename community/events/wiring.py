"""Events in the app: the blueprint, the ``events`` commands and the reminders job."""

from flask import Flask

from community.core import jobs
from community.events.cli import events_group
from community.events.feed_views import bp as calendar_bp
from community.events.reminders import send_reminders_now
from community.events.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(calendar_bp)
    app.cli.add_command(events_group)
    jobs.register("event-reminders", 300, send_reminders_now)
