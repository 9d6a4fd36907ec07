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


def _parsed(envelope):
    return message_from_bytes(envelope.original_content, policy=email_policy.default)


def test_notification_and_digest_emails_through_smtp(app, smtp_inbox):
    from datetime import timedelta

    from community.core.clock import utcnow
    from community.forum import services as forum
    from community.notifications import digest, services
    from community.notifications.kinds import Channel
    from tests import factories
    from tests.integration.test_forum import make_community

    lounge = make_community("lounge", "strategist", name="Lounge")
    author, replier = factories.make_member(), factories.make_member()
    thread = forum.create_thread(author, lounge, "Quarterly planning", "How far ahead?")
    smtp_inbox.envelopes.clear()

    forum.reply(replier, thread.id, "Four quarters, rolling.")  # "reply" defaults to email
    [envelope] = [e for e in smtp_inbox.envelopes if e.rcpt_tos == [author.email]]
    message = _parsed(envelope)
    assert message["Subject"] == f"@{replier.handle} replied to “Quarterly planning”"
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert unsubscribe in text and f'href="{unsubscribe}"' in html
    assert "replied to “Quarterly planning”" in html

    services.save_settings(author, {"reply": "daily"})
    forum.reply(replier, thread.id, "Eight, for capital projects.")
    smtp_inbox.envelopes.clear()
    totals = digest.send_digests(Channel.DAILY, [author.id], utcnow() + timedelta(minutes=1))
    assert totals[digest.Outcome.SENT] == 1
    [envelope] = smtp_inbox.envelopes
    message = _parsed(envelope)
    assert message["Subject"] == "Your daily Council digest: 1 new for you"
    assert "/notifications/unsubscribe/" in message["List-Unsubscribe"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "2 new replies to “Quarterly planning”" in text and "Stop this digest" in text
