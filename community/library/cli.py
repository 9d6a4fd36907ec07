"""``community library publish-due``: publish the scheduled resources whose time has come."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from community.core.mail_cli import drains_queue
from community.library import workflow

library_group = AppGroup("library", help="The learning library.")


@library_group.command("publish-due")
@drains_queue
def publish_due_command() -> None:
    """Publish scheduled resources whose time has come (safe to run repeatedly)."""
    count = workflow.publish_due()
    click.echo(f"Published {count} scheduled resource{'s' if count != 1 else ''}.")
