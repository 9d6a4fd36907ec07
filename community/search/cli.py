"""``community search reindex`` and ``community search check``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from community.search import documents, indexing


@click.group("search")
def search_group() -> None:
    """The search index."""


@search_group.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the index from the database (searches keep working meanwhile)."""
    total = documents.count_all()
    with click.progressbar(length=total, label="Indexing", file=sys.stderr) as bar:
        stored = indexing.rebuild(progress=bar.update)
    click.echo(f"Indexed {stored} documents.")


@search_group.command("check")
@with_appcontext
def check_command() -> None:
    """Compare the index with the database per kind; exit 1 if they disagree."""
    health = indexing.get_backend().health()
    if not health.ok:
        click.echo(f"The index is out: {health.detail}. Run `community search reindex`.", err=True)
        sys.exit(1)
    agree = True
    for kind in indexing.check():
        line = f"{kind.kind}: {kind.in_database} in the database, {kind.in_index} in the index"
        problems = [
            f"{len(keys)} {what} (e.g. {', '.join(keys[:3])})"
            for what, keys in (
                ("missing", kind.missing),
                ("no longer in the database", kind.extra),
                ("out of date", kind.stale),
            )
            if keys
        ]
        click.echo(line + (": " + "; ".join(problems) if problems else ": ok"))
        agree = agree and kind.agrees
    if not agree:
        click.echo("The index disagrees with the database: run `community search reindex`.")
        sys.exit(1)
