"""The ``community`` command: a Flask CLI group over the app, whose own commands each domain
adds in its wiring (``community/commands.py`` for the project-wide ones)."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup, routes_command, shell_command

from community import create_app


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def main() -> None:
    """Council: an invitation-only community for senior executives."""


main.add_command(shell_command)
main.add_command(routes_command)


if __name__ == "__main__":  # ``python -m community.cli jobs``: how ``community run`` starts jobs
    main()
