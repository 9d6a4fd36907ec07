"""The project-wide commands: ``run``, ``create-owner`` and ``demo``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from community.core import jobs
from community.core.errors import DomainError
from community.core.supervisor import supervise
from community.demo import DEMO_PASSWORD, demo_logins, seed_demo
from community.members.services import create_owner
from community.membership.services import ensure_defaults
from community.search import indexing as search_indexing


def init_app(app: Flask) -> None:
    """The project's own commands live on the app, so tests can run them with its runner."""
    for command in (run_command, jobs_command, create_owner_command, demo_command):
        app.cli.add_command(command)


@click.command("run")
@click.option("--host", default=None, help="Defaults to COMMUNITY_HOST (127.0.0.1).")
@click.option("--port", type=int, default=None, help="Defaults to COMMUNITY_PORT (5000).")
@with_appcontext
def run_command(host: str | None, port: int | None) -> None:
    """Serve the app with live notifications (gunicorn, one gevent worker), and run the
    periodic jobs in a process of their own (``community jobs``)."""
    bind = f"{host or current_app.config['HOST']}:{port or current_app.config['PORT']}"
    click.echo(f"Council is serving on http://{bind}  (Ctrl+C stops it)")
    # A fresh interpreter, so the worker imports the app only after gevent has patched the
    # standard library: an app imported before the patch never completes a websocket upgrade.
    # One worker per instance, because Socket.IO keeps its sockets per process (STACK.md).
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "--worker-class=gevent",
        "--workers=1",
        "--worker-connections=2000",
        f"--bind={bind}",
        "--access-logfile=-",
        "--no-control-socket",
        f"--config={Path(__file__).with_name('gunicorn_conf.py')}",
        "community:create_app()",
    ]
    jobs = [sys.executable, "-m", "community.cli", "jobs"]
    sys.exit(
        supervise(gunicorn, jobs, Path(current_app.instance_path), current_app.config["REDIS_URL"])
    )


@click.command("jobs")
@with_appcontext
def jobs_command() -> None:
    """Run the periodic jobs (mail, queued tasks, indexing, ...) in this process until stopped;
    ``community run`` starts one. Several may run at once (every job is safe to)."""
    jobs.run_forever(current_app._get_current_object())  # type: ignore[attr-defined]


@click.command("create-owner")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_owner_command(email: str, name: str, password: str) -> None:
    """Create an owner account (or promote an existing member)."""
    ensure_defaults()
    try:
        member = create_owner(email, name, password)
    except DomainError as error:
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(1)
    click.echo(f"Owner {member.name} <{member.email}> is ready.")


@click.command("demo")
@click.option("--force", is_flag=True, help="Seed even if the database already has members.")
@with_appcontext
def demo_command(force: bool) -> None:
    """Seed a demo community on an empty database, and print the demo logins."""
    if seed_demo(force=force, echo=click.echo):
        click.echo(f"Search index built: {search_indexing.rebuild()} documents.")
    else:
        click.echo("The database already has members; nothing seeded (--force adds the demo).")
    logins = demo_logins()
    if logins:
        click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for label, email in logins:
            click.echo(f"  {label:<24} {email}")
