"""Fixtures: a migrated database (SQLite, or PostgreSQL with --db=postgresql), an app per test
with CSRF on, a client that submits forms like a browser, members by role and tier, the outbox."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from community import create_app
from community.core.outbox import drain_all
from community.extensions import db
from community.members.models import Member
from community.membership.services import ensure_defaults
from tests import factories
from tests.servers import postgres_server

CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="Run against SQLite (default) or a throwaway PostgreSQL server.",
    )


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
        "MAIL_SERVER": None,
        "BASE_URL": None,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SOCKETIO_ASYNC_MODE": "threading",
        "LIVE_SWEEP_SECONDS": 0,  # tests call live.sweep() themselves
        "WTF_CSRF_ENABLED": True,
        "RUN_JOBS": False,  # tests call job functions themselves
    }


@pytest.fixture(scope="session")
def migrated_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Apply the real migrations once per run; every test then starts from empty tables."""
    app = create_app(make_test_config(database_url, tmp_path_factory.mktemp("migrate")))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _empty_all_tables() -> None:
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


class FormClient(FlaskClient):
    """A test client that sends the page's CSRF token with every form, as a browser does.

    Each request runs in an app context of its own, as in production: a fresh database session
    and a fresh ``g`` (so the signed-in member is loaded and checked again on every request).
    The test's own session is expired afterwards, so it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        # A public form that renders for visitors and members alike.
        page = self.get("/password/forgot")
        match = CSRF_PATTERN.search(page.get_data(as_text=True))
        assert match, "no CSRF token on the page"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def sign_in(self, email: str, password: str = factories.PASSWORD) -> None:
        response = self.submit("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def app(migrated_database: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(make_test_config(migrated_database, tmp_path))
    app.test_client_class = FormClient
    with app.app_context():
        _empty_all_tables()
        ensure_defaults()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FormClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def as_member(app: Flask) -> Callable[..., tuple[FormClient, Member]]:
    """``as_member("moderator")`` or ``as_member(tier="strategist")``: a signed-in client."""

    def sign_in(role: str = "member", tier: str = "council", **kwargs) -> tuple[FormClient, Member]:
        member = factories.make_member(role, tier, **kwargs)
        client: FormClient = app.test_client()  # type: ignore[assignment]
        client.sign_in(member.email)
        return client, member

    return sign_in


class Outbox:
    """The mail the app sent, read back from the outbox folder as parsed messages.

    Reading first drains the outbound queue, as the worker would within seconds, so a test sees
    every message the code under test queued (and the work queued tasks do)."""

    def __init__(self, app: Flask, folder: Path) -> None:
        self.app = app
        self.folder = folder

    def drain(self) -> None:
        """Run the queue now, in a session of its own (as the worker does)."""
        with self.app.app_context():
            drain_all()
        db.session.expire_all()

    @property
    def messages(self) -> list[EmailMessage]:
        self.drain()
        if not self.folder.exists():
            return []
        parser = BytesParser(policy=email_policy.default)
        return [parser.parsebytes(path.read_bytes()) for path in sorted(self.folder.glob("*.eml"))]  # type: ignore[misc]

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
