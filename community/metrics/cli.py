"""``community metrics``: rebuild the daily rollups, export a report as CSV, flush and prune."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from community.core.errors import DomainError
from community.metrics.catalogue import REPORTS, build_report, report_csv
from community.metrics.events import flush_activity, prune_activity
from community.metrics.periods import parse_period
from community.metrics.rollups import days_to_rebuild, oldest_rebuildable_day, rebuild_rollups

metrics_group = AppGroup("metrics", help="Engagement metrics: rollups and exports.")


@metrics_group.command("rollup")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="First UTC day to recompute (YYYY-MM-DD); every day up to today follows.",
)
def rollup_command(since) -> None:
    """Recompute the daily rollups from the activity events."""
    flush_activity()
    days = days_to_rebuild(since.date())
    if since.date() < oldest_rebuildable_day():
        click.echo(
            f"Events before {oldest_rebuildable_day()} were pruned; their rollups are kept.",
            err=True,
        )
    with click.progressbar(
        rebuild_rollups(days, since.date()), length=len(days), label="Rolling up"
    ) as bar:
        for _ in bar:
            pass
    click.echo(f"Recomputed {len(days)} day(s).")


@metrics_group.command("export")
@click.argument("report", type=click.Choice(sorted(REPORTS)))
@click.option("--period", "preset", default="30d", show_default=True, help="7d, 30d, 90d or custom")
@click.option("--start", default="", help="With --period custom: first day, YYYY-MM-DD.")
@click.option("--end", default="", help="With --period custom: last day, YYYY-MM-DD.")
@click.option("--output", "-o", type=click.File("w"), default="-", help="File (default stdout).")
def export_command(report: str, preset: str, start: str, end: str, output) -> None:
    """Write one report's table as CSV, exactly as /admin/metrics/<report>.csv serves it."""
    try:
        period = parse_period(preset, start, end)
    except DomainError as error:
        raise click.BadParameter(error.message, param_hint="--period") from None
    output.write(report_csv(build_report(report, period)))


@metrics_group.command("prune")
def prune_command() -> None:
    """Delete activity events older than COMMUNITY_METRICS_RETENTION_DAYS."""
    click.echo(f"Deleted {prune_activity()} event(s) older than the retention period.")
