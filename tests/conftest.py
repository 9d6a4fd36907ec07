"""Fixtures: one migrated app per run (SQLite, or PostgreSQL with --db=postgresql), each test in
a transaction that is rolled back, a client that submits forms like a browser, members by role
and tier, the outbox.

Isolation. Between tests the database holds exactly the defaults (tiers, policy version 1).
A test runs on one connection inside a transaction; every session the app opens (the test's,
each request's) joins it through a savepoint, so the app's own ``commit()`` and after-commit
hooks behave as usual, and the whole transaction is rolled back at the end. Tests that need
real commits seen by other connections (threads, a live server, DDL) opt out with
``@pytest.mark.real_commits`` (a test using ``live_server`` does so by itself): they commit for
real, and every table is emptied and re-seeded after them.

Queued work. Slow side effects (mail, notifying many members) wait in the outbound queue for the
worker. ``run_queued_work()`` does the worker's job on the spot; the ``outbox`` fixture and the
helpers that read notifications call it before they read, so a test reads what the worker would
have done within seconds. ``domain_events`` records the events a change published and the socket
pushes it made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, TypeVar

import pytest
from flask import Flask, current_app
from flask import session as flask_session
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, text
from sqlalchemy.engine import Connection

from community import create_app
from community.core.domain_events import CATALOGUE, DomainEvent
from community.core.events import subscribe, unsubscribe
from community.core.outbox import drain_all
from community.extensions import db, limiter, socketio
from community.members.models import Member
from community.members.services import authenticate
from community.members.views import start_session
from community.membership.services import ensure_defaults
from community.metrics.events import discard_pending
from community.notifications import live
from community.search import indexing
from community.search.backend import SearchBackend
from community.search.postgres_schema import SEARCH_TABLES
from tests import factories
from tests.client import (
    FLUSHED_UNCOMMITTED,
    FormClient,
    check_test_session_committed,
)
from tests.servers import postgres_server

# One PBKDF2 round instead of scrypt: signing in is most of what tests do. Production hashing
# keeps its own test (tests/unit/members/test_passwords.py).
TEST_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
T = TypeVar("T")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="Run against SQLite (default) or a throwaway PostgreSQL server.",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that belong to one database's job run there and are left out of the other's run
    (deselected, so never counted as passed or skipped): ``postgresql_only`` tests exercise
    what only PostgreSQL has; ``sqlite_only`` tests exercise no database behaviour at all and
    would only repeat themselves at PostgreSQL's slower pace (the reason is in each mark)."""
    database = config.getoption("--db")
    left_out = "sqlite_only" if database == "postgresql" else "postgresql_only"
    kept = [item for item in items if item.get_closest_marker(left_out) is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(
            items=[item for item in items if item.get_closest_marker(left_out) is not None]
        )
        items[:] = kept


def search_backend_names(config: pytest.Config) -> list[str]:
    """The search backends this run can test: Whoosh always, PostgreSQL on --db=postgresql
    (the PostgreSQL job of `make test`), where the app's database is the one it searches."""
    return ["whoosh", "postgres"] if config.getoption("--db") == "postgresql" else ["whoosh"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that takes ``search_backend`` runs once per backend (the contract suite)."""
    if "search_backend_name" in metafunc.fixturenames:
        metafunc.parametrize("search_backend_name", search_backend_names(metafunc.config))


@pytest.fixture
def search_backend(app: Flask, search_backend_name: str) -> SearchBackend:
    """The app configured with one search backend, its index not built yet (the test's own
    Whoosh folder, or PostgreSQL tables emptied in the test's transaction)."""
    app.config["SEARCH_BACKEND"] = search_backend_name
    return indexing.get_backend()


@pytest.fixture(scope="session")
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.config.getoption("--db") == "postgresql":
        with postgres_server() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'council.db'}"


def make_test_config(database_url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "INSTANCE_PATH": str(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_OUTBOX": str(instance / "outbox"),
        "SEARCH_INDEX_PATH": str(instance / "search-index"),
        "MAIL_SERVER": None,
        "BASE_URL": None,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SOCKETIO_ASYNC_MODE": "threading",
        "LIVE_SWEEP_SECONDS": 0,  # tests call live.sweep() themselves
        "WTF_CSRF_ENABLED": True,
        "RUN_JOBS": False,  # tests call job functions themselves
        "PASSWORD_HASH_METHOD": TEST_PASSWORD_HASH_METHOD,
    }


def reset_tables() -> None:
    """Empty every table and seed the defaults: the state every test starts from."""
    db.session.remove()
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        # The PostgreSQL search backend's tables are not models (they exist on PostgreSQL only).
        names = ", ".join([f'"{table.name}"' for table in tables] + list(SEARCH_TABLES))
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()
    ensure_defaults()
    db.session.remove()


@pytest.fixture(scope="session")
def session_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app, built and migrated once per run; ``app`` isolates each test from the others."""
    app = create_app(make_test_config(database_url, tmp_path_factory.mktemp("instance")))
    app.test_client_class = FormClient
    with app.app_context():
        upgrade()
        reset_tables()
    yield app
    with app.app_context():
        db.engine.dispose()  # psycopg warns about connections left open


@pytest.fixture(scope="session")
def migrated_database(session_app: Flask) -> str:
    """The URL of the migrated test database, for tests that build their own app."""
    return session_app.config["SQLALCHEMY_DATABASE_URI"]


class JoinedSession(FlaskSession):
    """A session that uses the connection it was given (the test's transaction) instead of
    Flask-SQLAlchemy's engine lookup, and remembers writes it flushed but did not commit."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind if self.bind is not None else super().get_bind(*args, **kwargs)


@event.listens_for(JoinedSession, "after_flush")
def _remember_flush(session: JoinedSession, _context: Any) -> None:
    session.info[FLUSHED_UNCOMMITTED] = True


@event.listens_for(JoinedSession, "after_commit")
@event.listens_for(JoinedSession, "after_soft_rollback")
def _forget_flush(session: JoinedSession, *_args: Any) -> None:
    session.info.pop(FLUSHED_UNCOMMITTED, None)


@contextmanager
def rolled_back_transaction() -> Iterator[None]:
    """Run the block on one connection in a transaction that is rolled back afterwards; every
    session opened meanwhile (in any app context) joins it through a savepoint.

    SQLAlchemy's "join a session into an external transaction" recipe. SQLite's driver would
    commit on its own around savepoints, so on SQLite we switch it to autocommit and send
    BEGIN ourselves, as SQLAlchemy's pysqlite documentation advises.
    """
    connection: Connection = db.engine.connect()
    driver = connection.connection.driver_connection
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        driver_isolation = driver.isolation_level  # type: ignore[union-attr]
        driver.isolation_level = None  # type: ignore[union-attr]
    transaction = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    factory = db.session.session_factory
    saved_class, saved_options = factory.class_, dict(factory.kw)
    db.session.remove()
    factory.class_ = JoinedSession
    factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        db.session.remove()
        factory.class_ = saved_class
        factory.kw.clear()
        factory.kw.update(saved_options)
        transaction.rollback()
        if sqlite:
            driver.isolation_level = driver_isolation  # type: ignore[union-attr]
        connection.close()


@contextmanager
def real_commits() -> Iterator[None]:
    """Let the block commit for real, then empty and re-seed every table."""
    try:
        yield
    finally:
        reset_tables()


@contextmanager
def committed_for_module(app: Flask, folder: Path, build: Callable[[], T]) -> Iterator[T]:
    """``build()`` once, committed for real, for every test of a module to read: a large world
    that a module's tests only look at (each test's own writes are still rolled back) costs
    one build instead of one per test. Every table is emptied and re-seeded afterwards, as
    after a ``real_commits`` test. Use it in a module-scoped fixture."""
    try:
        with app.app_context(), isolated(app, folder):
            built = build()
        yield built
    finally:
        with app.app_context():
            reset_tables()


def _uses_real_commits(request: pytest.FixtureRequest) -> bool:
    return (
        request.node.get_closest_marker("real_commits") is not None
        or "live_server" in request.fixturenames
    )


@contextmanager
def isolated(app: Flask, folder: Path) -> Iterator[None]:
    """Undo what a test may change in the shared app: its configuration, its folders (mail,
    uploads, search index) and the rate limits it used up."""
    saved_config, saved_instance_path = dict(app.config), app.instance_path
    app.instance_path = str(folder)
    app.config.update(
        INSTANCE_PATH=str(folder),
        MAIL_OUTBOX=str(folder / "outbox"),
        SEARCH_INDEX_PATH=str(folder / "search-index"),
    )
    limiter.reset()
    discard_pending(app)  # activity another test buffered names members that are gone
    try:
        yield
    finally:
        app.config.clear()
        app.config.update(saved_config)
        app.instance_path = saved_instance_path


@pytest.fixture
def app(session_app: Flask, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The shared app in an app context of the test's own, its writes undone afterwards."""
    isolation = real_commits if _uses_real_commits(request) else rolled_back_transaction
    with session_app.app_context(), isolated(session_app, tmp_path), isolation():
        yield session_app


@pytest.fixture
def make_app(app: Flask, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """``make_app(RATELIMIT_ENABLED=False)``: an app of its own with some settings changed, for
    settings read only when the app is built. Use it inside ``with built.app_context():``; its
    sessions join the test's transaction like the shared app's."""
    saved = {extension: dict(vars(extension)) for extension in (socketio, limiter)}
    built_apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        instance = tmp_path / f"app-{len(built_apps) + 1}"
        config = make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], instance)
        built = create_app({**config, **overrides})
        built.test_client_class = FormClient
        built_apps.append(built)
        return built

    yield build
    for built in built_apps:
        with built.app_context():
            db.engine.dispose()  # psycopg warns about connections left open
    # Extensions keep the last app's server and storage; give them back to the shared app.
    for extension, state in saved.items():
        vars(extension).clear()
        vars(extension).update(state)


@pytest.fixture
def client(app: Flask) -> FormClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def as_member(app: Flask) -> Callable[..., tuple[FormClient, Member]]:
    """``as_member("moderator")`` or ``as_member(tier="strategist")``: a signed-in client."""

    def sign_in(role: str = "member", tier: str = "council", **kwargs) -> tuple[FormClient, Member]:
        member = factories.make_member(role, tier, **kwargs)
        client: FormClient = app.test_client()  # type: ignore[assignment]
        sign_in_without_the_form(client, member)
        return client, member

    return sign_in


def sign_in_without_the_form(client: FormClient, member: Member) -> None:
    """Leave the client signed in as ``member`` exactly as a good POST to /login does: the same
    services run (``authenticate``, then the view's ``start_session``: a session record and
    Flask-Login's values in the cookie), without the two requests a browser needs for it (the
    form's page and the POST). Those cost about 30 ms of CPU for each of the thousand members
    the tests sign in; tests of signing in itself use ``client.sign_in``."""
    with client.application.test_request_context("/login", method="POST"):
        generate_csrf()  # the form's page left the session's CSRF secret in the cookie
        start_session(authenticate(member.email, factories.PASSWORD))
        signed_in = dict(flask_session)
    with client.session_transaction() as cookie_session:
        cookie_session.update(signed_in)


def run_queued_work() -> None:
    """Do now what the worker does within seconds: run the queued tasks (notifying many
    members, say) and send the queued mail, in a session of its own; then let the test's
    session read what they wrote.

    The test's own transaction ends first, as before a request: the worker's commits would
    otherwise sit inside the test session's savepoint, and the test's next rollback or
    ``db.session.remove()`` would undo them (a header then counted no notification that the
    worker had delivered)."""
    check_test_session_committed()
    with current_app._get_current_object().app_context():  # type: ignore[attr-defined]
        drain_all()
    db.session.expire_all()


class Outbox:
    """The mail the app sent, read back from the outbox folder as parsed messages.

    Reading first drains the outbound queue, as the worker would within seconds, so a test sees
    every message the code under test queued (and the work queued tasks do)."""

    def __init__(self, app: Flask, folder: Path) -> None:
        self.app = app
        self.folder = folder
        # Each file parsed once: a sent message is never rewritten (its name is unique), and
        # parsing is what a test reading a hundred messages twice spent most on.
        self._parsed: dict[Path, EmailMessage] = {}

    def drain(self) -> None:
        run_queued_work()

    @property
    def messages(self) -> list[EmailMessage]:
        self.drain()
        if not self.folder.exists():
            return []
        parser = BytesParser(policy=email_policy.default)
        paths = sorted(self.folder.glob("*.eml"))
        for path in paths:
            if path not in self._parsed:
                self._parsed[path] = parser.parsebytes(path.read_bytes())
        return [self._parsed[path] for path in paths]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]

    def clear(self) -> None:
        self.drain()
        for path in self.folder.glob("*.eml"):
            path.unlink()


@pytest.fixture
def outbox(app: Flask) -> Outbox:
    return Outbox(app, Path(app.config["MAIL_OUTBOX"]))


Push = tuple[str, str, dict[str, Any]]


@dataclass
class DomainEvents:
    """What a change announced: each event whose transaction committed (``events``), and each
    message sent to a socket room (``pushes``, as ``(room, name, payload)``), in order."""

    events: list[DomainEvent] = field(default_factory=list)
    pushes: list[Push] = field(default_factory=list)

    def of(self, event_class: type[DomainEvent]) -> list[DomainEvent]:
        return [event for event in self.events if type(event) is event_class]

    def clear(self) -> None:
        self.events.clear()
        self.pushes.clear()


@pytest.fixture
def domain_events(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[DomainEvents]:
    """``domain_events.events == [PostCreated(post_id=7)]`` after a reply; the real handlers
    and the real emitter still run (events are recorded after them, as they are dispatched)."""
    record = DomainEvents()
    emit = live.emit

    def record_push(room: str, name: str, payload: dict[str, Any]) -> None:
        record.pushes.append((room, name, payload))
        emit(room, name, payload)

    monkeypatch.setattr(live, "emit", record_push)
    for event_class in CATALOGUE:
        subscribe(event_class, record.events.append)
    yield record
    for event_class in CATALOGUE:
        unsubscribe(event_class, record.events.append)
