"""The learning library: resources, the editorial workflow, learning paths."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from community.core import jobs
from community.core.mail_cli import drains_queue
from community.library import workflow
from community.library.views import bp

library_group = AppGroup("library", help="The learning library.")


@library_group.command("publish-due")
@drains_queue
def publish_due_command() -> None:
    """Publish scheduled resources whose time has come (safe to run repeatedly)."""
    count = workflow.publish_due()
    click.echo(f"Published {count} scheduled resource{'s' if count != 1 else ''}.")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(library_group)
    app.add_template_global(workflow.resources_of_thread, "library_resources_of_thread")
    jobs.register("publish-due", 60, workflow.publish_due)
