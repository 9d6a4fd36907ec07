"""Private conversations: who may open one, reports to moderators, mute and leave, rate limits,
notifications, the header count and constant query counts for /messages."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.members.models import Member
from community.messages import checks
from community.messages.conversations import send_message
from community.messages.models import Conversation, ConversationMember
from community.notifications.models import Notification
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_query_counts import queries_for


def kinds_for(member) -> list[str]:
    run_queued_work()
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.member_id == member.id))
    )


def test_a_member_starts_a_conversation_with_someone_they_may_message(as_member):
    client, starter = as_member(tier="council")
    other_client, other = as_member(tier="council")

    response = client.submit(
        "/messages/new",
        {"recipients": f"@{other.handle}", "subject": "Hello", "body": "A **quick** question."},
    )

    conversation = db.session.scalars(select(Conversation)).one()
    assert response.headers["Location"] == f"/messages/{conversation.id}"
    assert kinds_for(other) == ["message"]
    assert kinds_for(starter) == []
    page = other_client.get(f"/messages/{conversation.id}").get_data(as_text=True)
    assert "<strong>quick</strong>" in page


def test_a_member_who_may_not_be_messaged_is_refused_and_the_text_kept(as_member):
    client, _ = as_member(tier="strategist")
    council = factories.make_member(tier_slug="council")
    response = client.submit(
        "/messages/new", {"recipients": f"@{council.handle}", "body": "Typed with care."}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "cannot be messaged directly" in page and "Typed with care." in page
    assert db.session.scalars(select(Conversation)).all() == []


def test_an_unknown_handle_is_a_form_error(as_member):
    client, _ = as_member()
    response = client.submit("/messages/new", {"recipients": "@nobody-here", "body": "Hi"})
    assert response.status_code == 400
    assert "No member has the handle @nobody-here" in response.get_data(as_text=True)


def test_a_pitch_as_a_first_message_is_refused(as_member):
    client, _ = as_member()
    other = factories.make_member()
    pitch = "We solved exactly this at https://example-corp.com/platform, book a demo with me."
    response = client.submit("/messages/new", {"recipients": other.handle, "body": pitch})
    assert response.status_code == 400
    assert "reads as a sales pitch" in response.get_data(as_text=True)


def test_non_participants_get_404_even_moderators(as_member):
    _, starter = as_member()
    conversation = factories.make_conversation(starter, factories.make_member())
    outsider, _ = as_member()
    moderator, _ = as_member("moderator")
    owner, _ = as_member("owner")
    for client in (outsider, moderator, owner):
        assert client.get(f"/messages/{conversation.id}").status_code == 404
        assert client.get(f"/messages/{conversation.id}/since?after=0").status_code == 404
        assert client.submit(f"/messages/{conversation.id}", {"body": "hi"}).status_code == 404
    assert outsider.get("/messages/999999").status_code == 404


def test_a_report_lets_moderators_read_that_conversation_only(as_member):
    reporter_client, reporter = as_member()
    rude = factories.make_member()
    reported = factories.make_conversation(rude, reporter, body="Something abusive.")
    other = factories.make_conversation(rude, reporter, body="Something else.")
    moderator, moderator_member = as_member("moderator")

    response = reporter_client.submit(
        f"/messages/{reported.id}/report", {"reason": "abusive", "text": "See the first one."}
    )
    assert response.status_code == 302

    page = moderator.get(f"/messages/{reported.id}").get_data(as_text=True)
    assert "Something abusive." in page and "Resolve the report" in page
    assert moderator.get(f"/messages/{other.id}").status_code == 404
    queue = moderator.get("/moderation/conversations").get_data(as_text=True)
    assert f"/messages/{reported.id}" in queue and "Abusive" in queue
    assert "conversation_reported" in kinds_for(moderator_member)
    # A moderator reads; they do not write in it.
    assert moderator.submit(f"/messages/{reported.id}", {"body": "Hi"}).status_code == 403

    moderator.submit(f"/messages/{reported.id}/resolve", {"note": "Warned by email."})
    assert moderator.get(f"/messages/{reported.id}").status_code == 404
    member, _ = as_member()
    assert member.get("/moderation/conversations").status_code == 403


def badge(client) -> str:
    page = client.get("/notifications").get_data(as_text=True)
    return page.split('id="message-count"', 1)[1].split("</span>", 1)[0]


def test_mute_silences_notifications_and_the_badge_and_leave_ends_access(as_member):
    client, member = as_member()
    other = factories.make_member()
    conversation = factories.make_conversation(other, member, body="First.")
    assert badge(client).endswith(">1")

    client.get(f"/messages/{conversation.id}")  # read
    assert " hidden>" in badge(client)
    client.submit(f"/messages/{conversation.id}/mute", {"muted": "1"})
    before = kinds_for(member)
    send_message(other, conversation.id, "While muted.")
    assert kinds_for(member) == before
    assert " hidden>" in badge(client)
    assert "1 new" in client.get("/messages").get_data(as_text=True)  # the list still shows it

    assert client.submit(f"/messages/{conversation.id}/leave").status_code == 302
    assert client.get(f"/messages/{conversation.id}").status_code == 404
    assert "Catching up" not in client.get("/messages").get_data(as_text=True)
    client.submit(f"/messages/{conversation.id}/mute", {"muted": "0"})
    send_message(other, conversation.id, "After leaving.")
    assert kinds_for(member) == before


def test_messages_fold_into_one_notification_per_conversation(as_member):
    _, member = as_member()
    other = factories.make_member()
    conversation = factories.make_conversation(other, member, subject="Budgets")
    send_message(other, conversation.id, "And another thing.")
    run_queued_work()
    [row] = db.session.scalars(select(Notification).where(Notification.member_id == member.id))
    assert (row.count, row.text) == (2, "2 new messages in “Budgets”")


def test_the_starter_adds_only_members_they_may_message(as_member):
    client, starter = as_member(tier="executive")
    conversation = factories.make_conversation(starter, factories.make_member())
    newcomer = factories.make_member(tier_slug="strategist")
    out_of_reach = factories.make_member(tier_slug="council")

    client.submit(f"/messages/{conversation.id}/participants", {"handle": out_of_reach.handle})
    client.submit(f"/messages/{conversation.id}/participants", {"handle": newcomer.handle})

    members = set(
        db.session.scalars(
            select(ConversationMember.member_id).where(
                ConversationMember.conversation_id == conversation.id
            )
        )
    )
    assert newcomer.id in members and out_of_reach.id not in members


def test_new_conversations_and_messages_are_rate_limited(as_member):
    client, starter = as_member()
    for n in range(checks.CONVERSATIONS_PER_DAY):
        factories.make_conversation(starter, factories.make_member(), subject=f"Talk {n}")
    other = factories.make_member()
    refused = client.submit("/messages/new", {"recipients": other.handle, "body": "Keep me."})
    assert refused.status_code == 429
    assert "Keep me." in refused.get_data(as_text=True)

    conversation = factories.make_conversation(other, starter)
    # The factory's ten first messages were the starter's, all within the minute.
    too_many = client.submit(f"/messages/{conversation.id}", {"body": "Eleventh, kept."})
    assert too_many.status_code == 429
    assert "Eleventh, kept." in too_many.get_data(as_text=True)


def test_the_list_puts_unread_first_in_a_constant_number_of_queries(as_member):
    client, member = as_member()
    for n in range(2):
        factories.make_conversation(factories.make_member(), member, subject=f"Early {n}")
    member_id = member.id
    small = queries_for(client, "/messages")
    member = db.session.get(Member, member_id)  # the count started a cold session
    for n in range(25):
        others = [factories.make_member() for _ in range(n % 3 + 1)]
        factories.make_conversation(others[0], member, *others[1:], subject=f"Later {n}")
    factories.make_conversation(member, factories.make_member(), subject="Mine, read")
    assert queries_for(client, "/messages") == small
    page = client.get("/messages").get_data(as_text=True)
    assert page.index("Later 24") < page.index("Early 0") < page.index("Mine, read")
