"""The core: shared models and rules, site pages, sign-in enforcement, error pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Response

from community.core import access, jobs, outbox, timefmt
from community.core.mail_cli import mail_group
from community.core.params import refuse_nul_characters
from community.core.views import bp
from community.extensions import login_manager
from community.membership.levels import Level

# How often ``community run`` sends queued mail and runs queued tasks.
QUEUE_DRAIN_SECONDS = 2

# Endpoints a visitor may open without signing in.
PUBLIC_ENDPOINTS = {
    "static",
    "core.index",
    "core.healthz",
    "core.readyz",
    "membership.apply",
    "membership.accept_invitation",
    "members.login",
    "members.forgot_password",
    "members.reset_password",
    "notifications.unsubscribe",
}
# Sent when the site is served over https (its base URL says so).
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    timefmt.init_app(app)
    jobs.init_app(app)
    jobs.register("outbound-queue", QUEUE_DRAIN_SECONDS, outbox.drain)
    app.cli.add_command(mail_group)
    login_manager.login_view = "members.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(refuse_nul_characters)
    app.before_request(_require_signed_in_member)
    app.after_request(_security_headers)
    app.context_processor(_template_helpers)
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _untrusted_host)


def _require_signed_in_member() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
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


def _template_helpers() -> dict[str, Any]:
    return {
        "is_moderator": access.is_moderator,
        "is_owner": access.is_owner,
        "is_editor": access.is_editor,
        "level_label": lambda value: Level(value).label,
    }


ERROR_MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "Your role does not give access to this page."),
    404: ("Not found", "There is nothing here, or it is not visible to you."),
    405: ("Not allowed", "That action is not available this way."),
    413: ("Too large", "What you sent is larger than we accept."),
    429: ("Too many attempts", "Please wait a few minutes before trying again."),
    500: ("Something went wrong", "The error has been logged. Please try again."),
}


def _error_page(error: Any) -> tuple[str, int]:
    code = getattr(error, "code", 500) or 500
    title, message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    if code == 400 and error.description != type(error).description:
        message = error.description  # abort(400, description=...) says what was wrong
    return render_template("core/error.html", code=code, title=title, message=message), code


def _untrusted_host(_error: SecurityError) -> tuple[str, int, dict[str, str]]:
    """A request for a host other than the site's: no page can be built for it (every link on
    a page needs the host), so the answer is a plain 400."""
    return "Bad request: unknown host.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    message = (
        "The form expired or was sent from another site. Go back, reload the page and "
        "send it again."
    )
    return render_template("core/error.html", code=400, title="Form expired", message=message), 400
