"""Outgoing mail behind a small interface: SMTP when configured, an outbox folder otherwise.

``send_email`` renders the message now (so it reflects the state being committed) and hands it
to the mailer only after the transaction commits.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, Protocol

from flask import current_app, render_template

from community.core.clock import utcnow
from community.core.events import on_commit
from community.core.text import single_line


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class OutboxMailer:
    """Writes each message as an ``.eml`` file: the default on one machine, and in tests."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        (self.folder / name).write_bytes(bytes(message))


class SMTPMailer:
    def __init__(
        self,
        host: str,
        port: int,
        username: str | None = None,
        password: str | None = None,
        use_tls: bool = False,
    ) -> None:
        self.host, self.port = host, port
        self.username, self.password, self.use_tls = username, password, use_tls

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def get_mailer() -> Mailer:
    config = current_app.config
    if config["MAIL_SERVER"]:
        return SMTPMailer(
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            config["MAIL_USERNAME"],
            config["MAIL_PASSWORD"],
            config["MAIL_USE_TLS"],
        )
    return OutboxMailer(config["MAIL_OUTBOX"])


def build_email(
    to: str,
    subject: str,
    template: str,
    *,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> EmailMessage:
    """Render ``templates/email/<template>.txt`` (and ``.html`` alongside) into a message."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = single_line(subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain="council.local")
    for name, value in (headers or {}).items():
        message[name] = single_line(value)
    message.set_content(render_template(f"email/{template}.txt", **context))
    message.add_alternative(render_template(f"email/{template}.html", **context), subtype="html")
    return message


def send_email(
    to: str,
    subject: str,
    template: str,
    *,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> None:
    """Queue an email to go out once the current transaction has committed."""
    message = build_email(to, subject, template, headers=headers, **context)
    on_commit(_deliver, message)


def _deliver(message: EmailMessage) -> None:
    get_mailer().send(message)
