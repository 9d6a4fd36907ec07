"""Form helpers shared by every domain."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, request
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from community.core.errors import DomainError, NotFound, PermissionDenied


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Attach a service's error to the field it names, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def choices(*pairs: tuple[str, str]) -> list[SelectChoice]:
    """Select options from (value, label) pairs, in the form WTForms 3.3+ expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def act_and_flash(action: Callable[[], object], done: str) -> None:
    """Run the service behind a button: any "no" but NotFound and PermissionDenied (which go
    on to their error pages) flashed for the page the caller redirects to, ``done`` flashed on
    success."""
    try:
        action()
    except (NotFound, PermissionDenied):
        raise  # a subclass of DomainError that answers with a status page, not a message
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash(done, "success")


def wants_json() -> bool:
    """The page's script asked for the answer as JSON (``Accept: application/json``), to update
    the page in place; a plain form post (no JavaScript) gets the redirect as before."""
    return request.accept_mimetypes.best == "application/json"
