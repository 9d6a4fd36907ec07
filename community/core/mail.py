"""Outgoing mail: ``send_email`` renders a message now (so it reflects the state being
committed) and queues it in the same transaction; the outbound queue (``core/outbox.py``)
delivers it through the mailer (``core/mailers.py``) within seconds, retrying on failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app, render_template

from community.core.outbox import enqueue_email
from community.core.text import single_line
from community.core.timefmt import no_viewer_zone


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
    with no_viewer_zone():  # the sender's zone is not the recipient's
        message.set_content(render_template(f"email/{template}.txt", **context))
        html = render_template(f"email/{template}.html", **context)
    message.add_alternative(html, subtype="html")
    return message


def send_email(
    to: str,
    subject: str,
    template: str,
    *,
    headers: Mapping[str, str] | None = None,
    forget_when_sent: bool = False,
    **context: Any,
) -> None:
    """Queue an email in the current unit of work: it goes out only if that commits.
    ``forget_when_sent``: the queue keeps neither address nor content once it is sent."""
    enqueue_email(
        build_email(to, subject, template, headers=headers, **context),
        forget_when_sent=forget_when_sent,
    )
