"""The core: what no domain owns: sign-in enforcement, security headers, error pages, health
checks, the outbound queue and the periodic jobs."""

from __future__ import annotations

from typing import Any

from flask import Flask, before_render_template, current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response

from community.core import assets, error_pages, icons, jobs, navigation, outbox, shell, timefmt
from community.core.cpu import cooperate
from community.core.mail_cli import mail_group
from community.core.params import refuse_nul_characters
from community.core.views import bp
from community.extensions import login_manager

# How often ``community run`` sends queued mail and runs queued tasks.
QUEUE_DRAIN_SECONDS = 2

# Endpoints a visitor may open without signing in.
PUBLIC_ENDPOINTS = {
    "static",
    "home.index",
    "core.healthz",
    "core.readyz",
    "membership.apply",
    "membership.accept_invitation",
    "members.login",
    "members.forgot_password",
    "members.reset_password",
    "account.sign_in_code",
    "notifications.unsubscribe",
    "calendar.feed_file",  # the secret in the URL is the proof (calendar apps have no session)
    "profiles.guidelines",
    "shell.favicon",
    "shell.manifest",
    "shell.service_worker",
    "shell.offline",
}
# Blueprints that answer visitors themselves (the owners' dashboard answers 404 to everyone
# but owners, so that a sign-in page does not reveal that the address exists).
SELF_GUARDED_BLUEPRINTS: set[str] = set()
# Sent when the site is served over https (its base URL says so).
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    timefmt.init_app(app)
    navigation.init_app(app)
    assets.init_app(app)
    app.register_blueprint(shell.bp)
    icons.init_app(app)
    jobs.init_app(app)
    jobs.register("outbound-queue", QUEUE_DRAIN_SECONDS, outbox.drain)
    app.cli.add_command(mail_group)
    login_manager.login_view = "members.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    # Off: every cookie names a server-side session record (members/sessions.py) that signing
    # out, revocation or a password reset deletes, so a stolen cookie dies there. Flask-Login's
    # "basic" check only marked the session not fresh (nothing here asks for a fresh login)
    # and re-signed the cookie on every response once the User-Agent or address changed.
    login_manager.session_protection = None
    app.before_request(refuse_nul_characters)
    # The form is read (CSRF, NUL check): let waiting requests run before the real work.
    app.before_request(cooperate)
    before_render_template.connect(_cooperate_before_rendering, app)
    app.before_request(_require_signed_in_member)
    app.after_request(_security_headers)
    error_pages.init_app(app)


def guard_blueprint_itself(name: str) -> None:
    """Let a blueprint's own ``before_request`` decide what visitors get (it must refuse them)."""
    SELF_GUARDED_BLUEPRINTS.add(name)


def _cooperate_before_rendering(_app: Flask, **_rendering: Any) -> None:
    cooperate()


def _require_signed_in_member() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if request.blueprint in SELF_GUARDED_BLUEPRINTS:
        return None
    if current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self' ws: wss:; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'none'",
    )
    if current_user.is_authenticated:
        response.headers.setdefault("Cache-Control", "private, no-store")
    if (current_app.config["BASE_URL"] or "").startswith("https://"):
        # Browsers then refuse plain http to the site for a year, so no one can strip TLS.
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
