"""A real SMTP conversation: the queue's worker talks to a local aiosmtpd server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.core.mail import send_email
from community.core.outbox import MAX_ATTEMPTS, QueuedEmail, drain
from community.extensions import db
from tests.servers import free_port

BOUNCING = "bounce@bigco.com"


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == BOUNCING:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [address for envelope in self.envelopes for address in envelope.rcpt_tos]


@contextmanager
def smtp_server(port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_inbox(app) -> Iterator[Inbox]:
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with smtp_server(port) as inbox:
        yield inbox


def queued() -> list[QueuedEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(QueuedEmail).order_by(QueuedEmail.id)))


def send(to: str, subject: str = "Hello") -> None:
    send_email(to, subject, "member_reinstated", member={"name": "X"})


def test_invitation_email_goes_through_smtp_with_text_and_html(app, smtp_inbox, outbox):
    from community.membership.services import approve_request
    from tests import factories

    moderator = factories.make_member("moderator")
    request = factories.make_request(email="cfo@bigco.com", name="Casey").request
    _, token = approve_request(moderator, request.id)

    def invitations():
        return [
            e for e in smtp_inbox.envelopes if b"Your invitation to Council" in e.original_content
        ]

    assert invitations() == []  # queued: the moderator's request never waits on SMTP
    drain()
    invitations = invitations()
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
    drain()
    assert smtp_inbox.envelopes == []
    assert queued() == []


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
    drain()
    smtp_inbox.envelopes.clear()

    forum.reply(replier, thread.id, "Four quarters, rolling.")  # "reply" defaults to email
    drain()  # one pass: the queued notification, then the email it queued
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
    drain()  # the worker folds it into the unread row
    smtp_inbox.envelopes.clear()
    totals = digest.send_digests(Channel.DAILY, [author.id], utcnow() + timedelta(minutes=1))
    assert totals[digest.Outcome.SENT] == 1
    drain()
    [envelope] = smtp_inbox.envelopes
    message = _parsed(envelope)
    assert message["Subject"] == "Your daily Council digest: 1 new for you"
    assert "/notifications/unsubscribe/" in message["List-Unsubscribe"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "2 new replies to “Quarterly planning”" in text and "Stop this digest" in text


def test_an_smtp_outage_keeps_the_mail_queued_and_a_later_drain_delivers_it(app):
    port = free_port()  # nothing listens there yet: the mail server is down
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    send("first@bigco.com", "Sent during the outage")
    send("second@bigco.com", "Also sent during the outage")
    commit()

    result = drain()

    assert result.stopped_by_outage  # one refused connection, not one per message
    first, second = queued()
    assert first.sent_at is None and first.attempts == 1
    assert "Connection refused" in first.last_error or "Errno" in first.last_error
    assert first.next_attempt_at > utcnow()  # backed off
    assert second.sent_at is None

    with smtp_server(port) as inbox:
        drain(now=utcnow() + timedelta(hours=1))  # the retry is due

    assert sorted(inbox.recipients()) == ["first@bigco.com", "second@bigco.com"]
    assert [bool(row.sent_at) for row in queued()] == [True, True]
    assert [
        _parsed(e)["Subject"] for e in inbox.envelopes if e.rcpt_tos == ["first@bigco.com"]
    ] == ["Sent during the outage"]


def test_one_refused_message_does_not_stop_the_others(app, smtp_inbox):
    for to in ("one@bigco.com", BOUNCING, "three@bigco.com"):
        send(to)
    commit()

    result = drain()

    assert (result.done, result.failed) == (2, 1)
    assert sorted(smtp_inbox.recipients()) == ["one@bigco.com", "three@bigco.com"]
    bounced = next(row for row in queued() if row.recipient == BOUNCING)
    assert bounced.sent_at is None
    assert "No such mailbox" in bounced.last_error
    assert bounced.next_attempt_at > utcnow()


def test_a_message_that_keeps_failing_is_given_up_after_the_last_attempt(app, smtp_inbox):
    send(BOUNCING)
    commit()
    row = queued()[0]
    row.attempts = MAX_ATTEMPTS - 1
    commit()

    drain()

    [row] = queued()
    assert row.attempts == MAX_ATTEMPTS
    assert row.next_attempt_at is None and row.sent_at is None  # kept, with its error, for a look
    assert drain(now=utcnow() + timedelta(days=30)).touched == 0


def test_a_sent_message_keeps_when_and_to_whom_not_what(app, outbox):
    """The queue held reset links and other members' names long after sending; now a sent row
    keeps its recipient only, and mail marked to forget (a deleted account's goodbye) not even
    that."""
    send("kept@example.com", "Your reset link")
    send_email(
        "gone@example.com",
        "Goodbye",
        "member_reinstated",
        member={"name": "X"},
        forget_when_sent=True,
    )
    commit()

    drain()

    kept, forgotten = queued()
    assert kept.sent_at and kept.recipient == "kept@example.com"
    assert (kept.subject, kept.message) == ("", b"")
    assert forgotten.sent_at and (forgotten.recipient, forgotten.subject) == ("", "")
    assert [m["To"] for m in outbox.messages] == ["kept@example.com", "gone@example.com"]
