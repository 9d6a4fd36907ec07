"""A real SMTP conversation: the app talks to a local aiosmtpd server."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiosmtpd.controller import Controller

from community.core.events import commit
from community.core.mail import send_email
from tests.servers import free_port


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(app) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield inbox
    finally:
        controller.stop()


def test_invitation_email_goes_through_smtp_with_text_and_html(app, smtp_inbox, outbox):
    from community.membership.services import approve_request
    from tests import factories

    moderator = factories.make_member("moderator")
    request = factories.make_request(email="cfo@bigco.com", name="Casey").request
    _, token = approve_request(moderator, request.id)

    invitations = [
        e for e in smtp_inbox.envelopes if b"Your invitation to Council" in e.original_content
    ]
    assert len(invitations) == 1
    envelope = invitations[0]
    assert envelope.rcpt_tos == ["cfo@bigco.com"]
    message = message_from_bytes(envelope.original_content, policy=email_policy.default)
    assert message["From"] == app.config["MAIL_SENDER"]
    assert message["Message-ID"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"/invite/{token}" in text
    assert f'/invite/{token}">Accept your invitation</a>' in html
    assert outbox.messages == []  # with SMTP configured, nothing is written to the outbox


def test_mail_is_not_sent_when_the_transaction_rolls_back(app, smtp_inbox):
    from community.extensions import db

    send_email("someone@bigco.com", "Never", "member_reinstated", member={"name": "X"})
    db.session.rollback()
    commit()
    assert smtp_inbox.envelopes == []
