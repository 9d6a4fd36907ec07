"""Thread titles are one line: a line break in one must never sink the mail about it."""

from __future__ import annotations

import pytest

from community.core.errors import DomainError
from community.core.events import commit
from community.core.mail import build_email
from community.forum import services as forum
from community.forum import thread_moderation
from tests import factories
from tests.integration.test_forum import make_community

BROKEN_TITLE = "Budget\r\nplanning \u2028 for\n\n2027\x0b\u2029now "


def test_a_title_with_line_breaks_is_saved_on_one_line(app):
    lounge = make_community("lounge")
    author = factories.make_member()

    thread = forum.create_thread(author, lounge, BROKEN_TITLE, "How far ahead do you plan?")

    assert thread.title == "Budget planning for 2027 now"


def test_a_title_of_only_line_breaks_is_refused_as_empty(app):
    lounge = make_community("lounge")

    with pytest.raises(DomainError, match="Give the thread a title") as refused:
        forum.create_thread(factories.make_member(), lounge, "\r\n\u2028", "Body text.")

    assert refused.value.field == "title"


def test_every_email_in_the_batch_goes_out_for_a_thread_titled_with_line_breaks(app, outbox):
    lounge = make_community("lounge")
    author, first, second, poster = (factories.make_member() for _ in range(4))
    thread = forum.create_thread(author, lounge, BROKEN_TITLE, "How far ahead do you plan?")
    outbox.clear()

    forum.reply(poster, thread.id, f"Asking @{first.handle} and @{second.handle} too.")

    for person in (author, first, second):
        [message] = outbox.to(person.email)
        assert "Budget planning for 2027 now" in message["Subject"]
        assert "\n" not in message["Subject"] and "\u2028" not in message["Subject"]


def test_moving_a_thread_saved_with_a_line_break_puts_its_title_on_one_line(app):
    lounge = make_community("lounge")
    make_community("annex")
    moderator = factories.make_member("moderator")
    thread = forum.create_thread(moderator, lounge, "Old title", "Saved before the rule.")
    thread.title = "Old\r\ntitle\u2028here"  # as stored by an older version
    commit()

    thread_moderation.move_thread(moderator, thread.id, "annex")

    assert thread.title == "Old title here"


def test_a_subject_or_header_with_line_breaks_is_folded_to_one_line(app):
    message = build_email(
        "someone@bigco.com",
        "Hello\r\nBcc: victim@elsewhere.com\u2028again",
        "member_reinstated",
        headers={"X-Note": "one\ntwo"},
        member={"name": "X"},
    )

    assert message["Subject"] == "Hello Bcc: victim@elsewhere.com again"
    assert message["Bcc"] is None
    assert message["X-Note"] == "one two"
