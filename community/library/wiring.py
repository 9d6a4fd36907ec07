"""The library in the app: the blueprint, the ``library`` commands, the publishing job."""

from __future__ import annotations

from flask import Flask

from community.core import jobs
from community.library import workflow
from community.library.cli import library_group
from community.library.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(library_group)
    app.add_template_global(workflow.resources_of_thread, "library_resources_of_thread")
    jobs.register("publish-due", 60, workflow.publish_due)
