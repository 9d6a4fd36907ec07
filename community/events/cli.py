"""``community events remind``: send the day-before reminders that are due."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from community.core.mail_cli import drains_queue
from community.events.reminders import send_reminders_now

events_group = AppGroup("events", help="Events: reminders.")


@events_group.command("remind")
@drains_queue
def remind_command() -> None:
    """Remind those going to events starting within 24 hours (safe to run repeatedly)."""
    sent = send_reminders_now()
    click.echo(f"Reminders sent for {sent} event{'s' if sent != 1 else ''}.")
