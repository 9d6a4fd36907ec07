"""Health checks: is the process up, and is it ready to serve (database, message queue)?"""

from __future__ import annotations

from collections.abc import Callable

import redis
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from werkzeug.wrappers import Response

from community.extensions import db

bp = Blueprint("core", __name__)

# Checks domains add to /readyz (core knows no domain): name -> () -> (ready, text).
_ready_checks: dict[str, Callable[[], tuple[bool, str]]] = {}


def register_ready_check(name: str, check: Callable[[], tuple[bool, str]]) -> None:
    """Report ``check()`` under ``name`` in /readyz; a False makes the process not ready."""
    _ready_checks[name] = check


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready when the database answers and carries the newest migration, the message queue
    (Redis, when configured) answers, and each domain's own check (the search index) passes."""
    checks: dict[str, str] = {}
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = MigrationContext.configure(connection).get_current_revision()
        script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
        head = script.get_current_head()
        checks["database"] = "ok" if current == head else f"migration {current} is not {head}"
    except Exception as error:  # any failure means "not ready", with the reason
        checks["database"] = f"unavailable: {type(error).__name__}"
    checks["message_queue"] = _message_queue_check(current_app.config["REDIS_URL"])
    ready = all(value in ("ok", "in-process") for value in checks.values())
    for name, check in _ready_checks.items():
        try:
            domain_ready, checks[name] = check()
        except Exception as error:  # a failing check reports, it does not answer 500
            domain_ready, checks[name] = False, f"unavailable: {type(error).__name__}"
        ready = ready and domain_ready
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503


def _message_queue_check(redis_url: str | None) -> str:
    if not redis_url:
        return "in-process"
    try:
        redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"unavailable: {type(error).__name__}"
    return "ok"
