"""The test client: a browser that sends each form's CSRF token, runs every request in an app
context of its own, and refuses to run while the test holds uncommitted writes."""

from __future__ import annotations

import re

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from itsdangerous import BadSignature

from community.extensions import db
from tests import factories

CSRF_SESSION_KEY = "csrf_token"  # Flask-WTF's WTF_CSRF_FIELD_NAME, its key in the session
CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
# Set on the test's session while it holds flushed, uncommitted writes (tests/conftest.py).
FLUSHED_UNCOMMITTED = "tests.flushed_uncommitted"


class FormClient(FlaskClient):
    """A test client that sends the page's CSRF token with every form, as a browser does.

    Each request runs in an app context of its own, as in production: a fresh database session
    and a fresh ``g`` (so the signed-in member is loaded and checked again on every request).
    The test's own session is expired afterwards, so it reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        check_test_session_committed()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        """A token a page rendered for this browser's session. Pages sign the session's one
        secret seed, so a token stays good while the seed does: it is fetched again only when
        the session holds a new seed (signed in, signed out), not before every form."""
        seed = self._csrf_seed()
        tokens: dict[str, str] = self.__dict__.setdefault("_csrf_tokens", {})
        if seed is not None and seed in tokens:
            return tokens[seed]
        # A public form that renders for visitors and members alike.
        page = self.get("/password/forgot")
        match = CSRF_PATTERN.search(page.get_data(as_text=True))
        assert match, "no CSRF token on the page"
        seed = self._csrf_seed()
        if seed is not None:
            tokens[seed] = match.group(1)
        return match.group(1)

    def _csrf_seed(self) -> str | None:
        """The secret the session's CSRF tokens are signed from (Flask-WTF keeps it in the
        session cookie), or None when the browser holds no session."""
        app = self.application
        cookie = self.get_cookie(app.config["SESSION_COOKIE_NAME"])
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        if cookie is None or serializer is None:
            return None
        try:
            return serializer.loads(cookie.value).get(CSRF_SESSION_KEY)
        except BadSignature:
            return None

    def submit(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def sign_in(self, email: str, password: str = factories.PASSWORD) -> None:
        response = self.submit("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)


def check_test_session_committed() -> None:
    """A request (or the worker) must not see what the test wrote but did not commit: in
    production it runs on another connection. Inside the shared test transaction it would,
    so say so."""
    if not has_app_context() or not db.session.registry.has():
        return
    session = db.session()
    if session.info.get(FLUSHED_UNCOMMITTED):
        pytest.fail("The test wrote to the database without committing before a request.")
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        # End the test's read-only transaction (its savepoint) first. Otherwise the request's
        # commits sit inside it, and a later rollback or ``db.session.remove()`` in the test
        # would undo them, which never happens to a committed request in production.
        session.commit()
