"""Council: an invitation-only community platform for senior executives."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from community import commands
from community.admin.wiring import init_app as init_admin
from community.config import PROJECT_ROOT, load_config
from community.core import init_app as init_core
from community.core import live_channel
from community.core.params import IdConverter
from community.events.wiring import init_app as init_events
from community.extensions import csrf, db, limiter, login_manager, migrate, socketio
from community.forum.wiring import init_app as init_forum
from community.home.wiring import init_app as init_home
from community.library.wiring import init_app as init_library
from community.members.wiring import init_app as init_members
from community.membership.wiring import init_app as init_membership
from community.messages.wiring import init_app as init_messages
from community.metrics.wiring import init_app as init_metrics
from community.moderation.wiring import init_app as init_moderation
from community.notifications.wiring import init_app as init_notifications
from community.search.wiring import init_app as init_search


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Assemble the app: configuration, extensions, then one ``init_app`` per domain."""
    settings = load_config(config)
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings)
    # Before any blueprint adds its rules: every <int:...> in a route is a positive 32-bit id,
    # so /t/99999999999999999999 is a 404 rather than an OverflowError from the driver.
    app.url_map.converters["int"] = IdConverter
    if app.config["PROXY_FIX"]:
        # The client's address and scheme only: X-Forwarded-Host is never trusted.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    logging.basicConfig(level=logging.INFO)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    socketio.init_app(
        app,
        # Always named, so an app made after another in one process never inherits its queue.
        client_manager=live_channel.client_manager(app.config),
        cors_allowed_origins=app.config["BASE_URL"] or None,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
    )

    app.teardown_request(_yield_to_other_requests)
    # Each domain plugs in through its own wiring module, never its package's __init__, so
    # that importing a domain's models (as the access package does) never imports its views.
    init_core(app)
    init_members(app)
    init_membership(app)
    init_forum(app)
    init_library(app)
    init_events(app)
    init_moderation(app)
    init_notifications(app)
    init_search(app)
    init_messages(app)
    init_metrics(app)
    init_admin(app)
    init_home(app)
    commands.init_app(app)
    return app


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL and a busy timeout let readers and one writer share the file without errors.

    ``synchronous=NORMAL`` is SQLite's advice for WAL: a commit no longer waits for an fsync
    (the WAL is synced at checkpoints), which on the one gevent worker was a blocking call that
    stalled every other request for each commit of a notification fan-out. The database stays
    consistent after a crash; a power cut may lose the last commits before a checkpoint.
    ``secure_delete`` overwrites deleted rows in the file, so a deleted account's data does not
    linger in free pages."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _yield_to_other_requests(_error: BaseException | None = None) -> None:
    """Let the other greenlets of the gevent worker run between requests. A keep-alive
    connection whose next request is already waiting would otherwise be served again and
    again while other connections wait: p99 was a second while p50 was 2 ms."""
    socketio.sleep(0)
