"""Error pages, and the one place a domain error picks its HTTP status.

Services raise ``NotFound``, ``PermissionDenied`` and ``RateLimited``; views let them through
and the handlers here answer with the same page ``abort(404)``, ``abort(403)`` or a 429 would
(Zulip's ``JsonableError`` carries its status the same way). A view still catches
``DomainError`` where a rule's message belongs in a form, which is not picking a status.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from community.core.errors import NotFound, PermissionDenied, RateLimited

ERROR_MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "Your role does not give access to this page."),
    404: ("Not found", "There is nothing here, or it is not visible to you."),
    405: ("Not allowed", "That action is not available this way."),
    413: ("Too large", "What you sent is larger than we accept."),
    429: ("Too many attempts", "Please wait a few minutes before trying again."),
    500: ("Something went wrong", "The error has been logged. Please try again."),
}


def init_app(app: Flask) -> None:
    for code in ERROR_MESSAGES:
        app.register_error_handler(code, _http_error)
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(PermissionDenied, _permission_denied)
    app.register_error_handler(RateLimited, _rate_limited)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(SecurityError, _untrusted_host)


def error_page(code: int, message: str | None = None) -> tuple[str, int]:
    """The site's page for ``code``, with its standard message unless one is given."""
    title, standard = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    page = render_template("core/error.html", code=code, title=title, message=message or standard)
    return page, code


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = getattr(error, "code", 500) or 500
    if code == 400 and error.description != type(error).description:
        return error_page(400, error.description)  # abort(400, description=...) says what
    return error_page(code)


def _not_found(_error: NotFound) -> tuple[str, int]:
    # The standard text, never the service's: "no such X" and "not visible to you" must read
    # alike, or the page would tell a member that a hidden object exists.
    return error_page(404)


def _permission_denied(_error: PermissionDenied) -> tuple[str, int]:
    return error_page(403)


def _rate_limited(error: RateLimited) -> tuple[str, int, dict[str, str]]:
    page, code = error_page(429)
    return page, code, error.headers


def _untrusted_host(_error: SecurityError) -> tuple[str, int, dict[str, str]]:
    """A request for a host other than the site's: no page can be built for it (every link on
    a page needs the host), so the answer is a plain 400."""
    return "Bad request: unknown host.\n", 400, {"Content-Type": "text/plain; charset=utf-8"}


def _csrf_error(_error: CSRFError) -> tuple[str, int]:
    message = (
        "The form expired or was sent from another site. Go back, reload the page and "
        "send it again."
    )
    return render_template("core/error.html", code=400, title="Form expired", message=message), 400
