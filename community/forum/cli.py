"""The forum's commands. ``community tracking rebuild [--member ID]``: build members' unread
state now (after an upgrade, say) instead of on each member's next visit. ``community images
clean``: delete the pasted pictures no post took up, now rather than at the hourly job."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.forum.image_cleanup import delete_unused_images
from community.forum.tracking import rebuild_tracking
from community.members.models import Member

tracking_group = AppGroup("tracking", help="Members' unread counts and \"what's new\".")


@tracking_group.command("rebuild")
@click.option("--member", "member_id", type=int, default=None, help="Only this member's id.")
def rebuild_command(member_id: int | None) -> None:
    """Rebuild unread state from the threads: every member's, or one member's."""
    query = select(Member.id).order_by(Member.id)
    if member_id is not None:
        query = query.where(Member.id == member_id)
    member_ids = list(db.session.scalars(query))
    if member_id is not None and not member_ids:
        raise click.ClickException(f"There is no member {member_id}.")
    with click.progressbar(member_ids, label="Rebuilding unread state") as bar:
        for each_id in bar:
            member = db.session.get(Member, each_id)
            if member is not None:
                rebuild_tracking(member)
                commit()  # one member per transaction: others keep posting meanwhile
    click.echo(f"Rebuilt {len(member_ids)} member{'s' if len(member_ids) != 1 else ''}.")


images_group = AppGroup("images", help="Pictures pasted into posts.")


@images_group.command("clean")
def clean_images_command() -> None:
    """Delete the pictures no post used within a day of their upload (the hourly job's work)."""
    removed = delete_unused_images()
    click.echo(f"Deleted {removed} unused picture{'s' if removed != 1 else ''}.")
