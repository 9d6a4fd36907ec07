"""Introduction requests: asked with a short note, accepted into a conversation, or declined so
quietly that the sender cannot tell a decline from silence."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.extensions import db
from community.messages import checks
from community.messages.models import Conversation, IntroductionRequest, Message
from community.notifications.models import Notification
from tests import factories
from tests.conftest import run_queued_work

PITCH = "We solved exactly this at https://example-corp.com/platform, book a demo with me."


def notifications_of(member) -> list[tuple[str, str]]:
    run_queued_work()
    return [
        (n.kind, n.text)
        for n in db.session.scalars(
            select(Notification)
            .where(Notification.member_id == member.id)
            .order_by(Notification.id)
        )
    ]


def ask(client, recipient, note="We both run social programmes in retail; swap notes?"):
    return client.submit(f"/messages/introduce/{recipient.id}", {"note": note})


def test_a_lower_tier_member_asks_and_the_recipient_is_told(as_member):
    client, sender = as_member(tier="strategist")
    recipient_client, recipient = as_member(tier="council")

    assert "Ask for an introduction" in client.get(f"/messages/introduce/{recipient.id}").get_data(
        as_text=True
    )
    response = ask(client, recipient)

    assert response.status_code == 302
    assert notifications_of(recipient) == [
        ("introduction", f"@{sender.handle} asks for an introduction")
    ]
    waiting = recipient_client.get("/messages/introductions").get_data(as_text=True)
    assert "swap notes?" in waiting and "Decline quietly" in waiting


def test_accepting_opens_a_conversation_with_the_note_first(as_member):
    client, sender = as_member(tier="strategist")
    recipient_client, recipient = as_member(tier="council")
    ask(client, recipient)
    request = db.session.scalars(select(IntroductionRequest)).one()

    accepted = recipient_client.submit(f"/messages/introductions/{request.id}/accept")

    conversation = db.session.scalars(select(Conversation)).one()
    assert accepted.headers["Location"] == f"/messages/{conversation.id}"
    [first] = db.session.scalars(select(Message)).all()
    assert first.author_id == sender.id and "swap notes?" in first.body
    assert "swap notes?" in client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert notifications_of(sender) == [
        ("introduction", f"@{recipient.handle} accepted your introduction request")
    ]
    # The accepter read the note before accepting: no "new message" about it.
    assert [kind for kind, _ in notifications_of(recipient)] == ["introduction"]
    # Both may write on.
    reply = recipient_client.submit(f"/messages/{conversation.id}", {"body": "Glad to."})
    assert reply.status_code == 302


def test_the_sender_cannot_tell_a_decline_from_silence(as_member):
    declined_client, declined_sender = as_member(tier="strategist", name="Sam Sender")
    waiting_client, waiting_sender = as_member(tier="strategist", name="Sam Sender")
    decliner_client, decliner = as_member(tier="council", name="Rae Recipient")
    _, silent = as_member(tier="council", name="Rae Recipient")
    ask(declined_client, decliner)
    ask(waiting_client, silent)
    request = db.session.scalars(
        select(IntroductionRequest).where(IntroductionRequest.recipient_id == decliner.id)
    ).one()

    decliner_client.submit(f"/messages/introductions/{request.id}/decline")

    def sender_view(client, recipient) -> str:
        page = client.get("/messages/introductions").get_data(as_text=True)
        page = re.sub(r'name="csrf_token"[^>]*>', "", page)
        page = re.sub(r'data-live-since="[^"]*"', "", page)
        page = re.sub(r"<time[^>]*>[^<]*</time>", "", page)
        return page.replace(f"/{recipient.id}", "/ID")

    assert sender_view(declined_client, decliner) == sender_view(waiting_client, silent)
    assert "declin" not in sender_view(declined_client, decliner).lower()
    assert notifications_of(declined_sender) == notifications_of(waiting_sender) == []
    again = [ask(declined_client, decliner), ask(waiting_client, silent)]
    assert [r.status_code for r in again] == [400, 400]
    assert "already asked" in again[0].get_data(as_text=True)
    assert again[0].get_data(as_text=True).count("already asked") == again[1].get_data(
        as_text=True
    ).count("already asked")
    assert "No introduction requests wait" in decliner_client.get(
        "/messages/introductions"
    ).get_data(as_text=True)


def test_nobody_means_no_introductions_either(as_member):
    client, _ = as_member(tier="strategist")
    private = factories.set_preference(factories.make_member(tier_slug="council"), "nobody")
    response = ask(client, private)
    assert response.status_code == 400
    assert "does not accept introduction requests" in response.get_data(as_text=True)
    assert db.session.scalars(select(IntroductionRequest)).all() == []


def test_introductions_are_rate_limited_and_the_note_is_kept(as_member):
    client, _ = as_member(tier="strategist")
    topics = ["retail loyalty", "crisis comms", "creator budgets", "social listening", "hiring"]
    for topic in topics[: checks.INTRODUCTIONS_PER_DAY]:
        note = f"I would value your view on {topic}; could we talk?"
        assert ask(client, factories.make_member(tier_slug="council"), note).status_code == 302

    refused = ask(client, factories.make_member(tier_slug="council"), note="One more, please.")

    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    page = refused.get_data(as_text=True)
    assert "5 introductions a day" in page and "One more, please." in page


def test_a_pitch_is_refused_with_the_reasons_and_the_note_kept(as_member):
    client, _ = as_member(tier="strategist")  # works at Example Corp
    recipient = factories.make_member(tier_slug="council")
    response = ask(client, recipient, note=PITCH)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "reads as a sales pitch" in page and "book a demo with me" in page
    assert db.session.scalars(select(IntroductionRequest)).all() == []


def test_only_the_recipient_answers_a_request(as_member):
    client, _ = as_member(tier="strategist")
    _, recipient = as_member(tier="council")
    stranger_client, _ = as_member(tier="council")
    ask(client, recipient)
    request = db.session.scalars(select(IntroductionRequest)).one()
    assert stranger_client.submit(f"/messages/introductions/{request.id}/accept").status_code == 404
    assert client.submit(f"/messages/introductions/{request.id}/decline").status_code == 404
    assert request.status == "pending"
