"""``community digest send`` and ``community announce``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from community.core import outbox
from community.core.errors import DomainError
from community.core.mail_cli import drains_queue
from community.notifications import digest
from community.notifications.announcements import announce


@click.group("digest")
def digest_group() -> None:
    """Email digests."""


@digest_group.command("send")
@click.option("--period", type=click.Choice(["daily", "weekly"]), required=True)
@with_appcontext
@drains_queue
def send_digest_command(period: str) -> None:
    """Send this period's personal digests; running it twice sends nothing new."""
    # Notifications still waiting in the queue (a reply seconds ago) belong in this digest.
    outbox.drain_all()
    member_ids = digest.recipient_ids()
    label = f"{period.capitalize()} digests"
    with click.progressbar(length=len(member_ids), label=label, file=sys.stderr) as bar:
        totals = digest.send_digests(digest.check_period(period), member_ids, progress=bar.update)
    click.echo(", ".join(f"{count} {outcome.value}" for outcome, count in totals.items()))


@click.command("announce")
@click.option("--text", required=True, help="One line, up to 300 characters.")
@click.option("--url", default="/", show_default=True, help="A site path the notice links to.")
@click.option("--tier", default="", help="Only members whose tier reaches this one (a slug).")
@with_appcontext
@drains_queue
def announce_command(text: str, url: str, tier: str) -> None:
    """Tell every active member (or a tier and above) something, in the app and by their
    chosen channel."""
    try:
        count = announce(text, url, tier)
    except DomainError as error:
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(1)
    click.echo(f"Announced to {count} member{'s' if count != 1 else ''}.")
