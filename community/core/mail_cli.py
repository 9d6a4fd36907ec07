"""``community mail drain``, and the decorator that makes a mail-sending command drain at its end.

A CLI command runs without the serving process's worker, so whatever mail it queued would wait
for the next ``community run``; draining at the end sends it now (failures stay queued).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click
from flask.cli import AppGroup

from community.core import outbox

mail_group = AppGroup("mail", help="Outgoing mail.")

F = TypeVar("F", bound=Callable[..., Any])


def drains_queue(command: F) -> F:
    """Run the outbound queue once the command's own work is done."""

    @functools.wraps(command)
    def run_then_drain(*args: Any, **kwargs: Any) -> Any:
        value = command(*args, **kwargs)
        _report(outbox.drain_all())
        return value

    return run_then_drain  # type: ignore[return-value]


def _report(result: outbox.DrainResult) -> None:
    if result.touched:
        click.echo(f"Outbound queue: {result.done} done, {result.failed} to retry later.")
    if result.stopped_by_outage:
        click.echo("The mail server did not answer; the rest stays queued.", err=True)


@mail_group.command("drain")
def drain_command() -> None:
    """Send the queued mail and run the queued tasks that are due (safe to run repeatedly)."""
    result = outbox.drain_all()
    _report(result)
    if not result.touched:
        click.echo("Nothing was due.")
