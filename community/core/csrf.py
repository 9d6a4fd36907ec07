"""CSRF tokens masked per render, against BREACH.

Responses are compressed (flask-compress), and a page that carries a secret next to text an
attacker can choose (a search query echoed back, say) lets the attacker guess the secret a
character at a time from the compressed length. Flask-WTF writes the same signed token into
every form of a session, so it would be such a secret. As Django does, each rendering of the
token is ``mask + (token XOR mask)`` with a fresh random mask, so no two responses share the
token's bytes; the check unmasks it before Flask-WTF validates the token as usual.

A token that is not masked (it holds the ``.`` of a signed token, as pages rendered before
masking do) is passed on unchanged: accepting it reveals nothing, and Flask-WTF checks it.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from flask import Flask
from flask_wtf import CSRFProtect, FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF, generate_csrf
from wtforms.csrf.core import CSRFTokenField


def masked_csrf_token() -> str:
    """This session's CSRF token under a fresh random mask: a new string at every call."""
    token = generate_csrf().encode()
    mask = secrets.token_bytes(len(token))
    return base64.urlsafe_b64encode(mask + _xor(token, mask)).decode().rstrip("=")


def unmask_csrf_token(value: str | None) -> str | None:
    """The token a masked value stands for; an unmasked token (or nothing) as it came.
    A value that is not a well-formed masked token comes back as garbage, which fails the
    check."""
    if not value or "." in value:
        return value
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return value
    half = len(raw) // 2
    mask, masked = raw[:half], raw[half : half * 2]
    return _xor(masked, mask).decode("latin-1")


def _xor(data: bytes, mask: bytes) -> bytes:
    """``data`` XOR ``mask`` byte by byte (as one big number: a page masks its token several
    times, and a generator over the bytes was 3% of a thread page's CPU)."""
    return (int.from_bytes(data) ^ int.from_bytes(mask)).to_bytes(len(data))


class MaskedFormCSRF(_FlaskFormCSRF):
    """A form's hidden token, masked like every other rendering of it."""

    def generate_csrf_token(self, csrf_token_field: CSRFTokenField) -> str:
        return masked_csrf_token()

    def validate_csrf_token(self, form: FlaskForm, field: CSRFTokenField) -> None:
        field.data = unmask_csrf_token(field.data)
        super().validate_csrf_token(form, field)


class MaskedCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection, with the token masked wherever a page shows it."""

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        # Templates call ``csrf_token()``: Flask-WTF offers it as a global and through a
        # context processor; this later processor wins over its one.
        app.jinja_env.globals["csrf_token"] = masked_csrf_token
        app.context_processor(lambda: {"csrf_token": masked_csrf_token})
        # Every form (``form.hidden_tag()``) of every domain, including forms written later:
        # they all inherit FlaskForm's Meta.
        FlaskForm.Meta.csrf_class = MaskedFormCSRF

    def _get_csrf_token(self) -> str | None:
        return unmask_csrf_token(super()._get_csrf_token())
