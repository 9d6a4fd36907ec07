"""Where mail goes: SMTP when configured, an outbox folder otherwise (both behind ``Mailer``)."""

from __future__ import annotations

import smtplib
import uuid
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path
from typing import Protocol

from flask import current_app

from community.core.clock import utcnow

# The queue retries, so a slow server is better given up on early than waited for.
SMTP_TIMEOUT_SECONDS = 10


class Mailer(Protocol):
    def send(self, message: bytes) -> None:
        """Deliver one message, as the queue stored it (RFC 5322 bytes)."""


class OutboxMailer:
    """Writes each message as an ``.eml`` file: the default on one machine, and in tests."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def send(self, message: bytes) -> None:
        """The queued bytes as they are: parsing them only to write them back out cost about
        5 ms a message."""
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        (self.folder / name).write_bytes(message)


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

    def send(self, message: bytes) -> None:
        # Parsed for the envelope: send_message takes the sender and recipients from the headers.
        parsed = BytesParser(policy=email_policy.default).parsebytes(message)
        with smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if self.use_tls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(parsed)


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
