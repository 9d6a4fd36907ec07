"""Whole threads: closing and reopening (not the same as a lock), and flags on threads with the
moderators' review of them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.core.domain_events import FlagRaised, ThreadChanged, ThreadClosed
from community.extensions import db
from community.forum import services
from community.forum.models import Community, Thread
from community.moderation.models import Flag
from tests.integration.test_forum import count, make_community, start_thread


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# --- Close and reopen -----------------------------------------------------------------------


def test_the_author_closes_with_a_reason_and_nobody_replies_until_reopened(as_member):
    community = make_community()
    author_client, author = as_member()
    moderator_client, _ = as_member("moderator")
    reader_client, _ = as_member()
    thread = start_thread(author, community, "Which BI tool?", "Looking at three options now.")

    response = author_client.submit(f"/t/{thread.id}/close", {"reason": "answered"})
    assert response.status_code == 302
    page = reader_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert f"Closed by @{author.handle}: answered" in page
    assert "it takes no new replies" in page and f"/t/{thread.id}/reply" not in page
    assert "Closed" in reader_client.get("/c/strategy").get_data(as_text=True)

    # Nobody replies to a closed thread, moderators included.
    for client in (reader_client, moderator_client, author_client):
        response = client.submit(f"/t/{thread.id}/reply", {"body": "One more thought on it."})
        assert response.status_code == 400
        assert "This thread is closed" in response.get_data(as_text=True)
    assert count(Thread, Thread.post_count == 1) == 1
    assert audit("thread.closed") == []  # the author's own act, not a moderator's

    assert reader_client.submit(f"/t/{thread.id}/reopen").status_code == 403
    assert author_client.submit(f"/t/{thread.id}/reopen").status_code == 302
    assert reader_client.submit(f"/t/{thread.id}/reply", {"body": "Now I can."}).status_code == 302


def test_a_moderator_closes_and_reopens_audit_logged_and_the_event_is_published(
    as_member, domain_events
):
    community = make_community()
    _, author = as_member()
    moderator_client, moderator = as_member("moderator")
    member_client, _ = as_member()
    thread = start_thread(author, community, "Old news", "This has run its course, really.")
    domain_events.clear()

    assert member_client.submit(f"/t/{thread.id}/close").status_code == 403
    assert domain_events.events == []
    moderator_client.submit(f"/t/{thread.id}/close", {"reason": "off the agenda"})
    assert domain_events.events == [ThreadClosed(thread_id=thread.id, actor_id=moderator.id)]
    [entry] = audit("thread.closed")
    assert entry.actor_id == moderator.id and entry.reason == "off the agenda"
    moderator_client.submit(f"/t/{thread.id}/reopen")
    assert len(audit("thread.reopened")) == 1
    assert db.session.get(Thread, thread.id).closed_at is None


def test_lock_is_for_moderators_only_and_the_author_cannot_undo_it(as_member):
    community = make_community()
    author_client, author = as_member()
    moderator_client, _ = as_member("moderator")
    thread = start_thread(author, community, "Heated topic", "Let us keep this civil, please.")

    moderator_client.submit(f"/t/{thread.id}/moderate", {"action": "lock"})
    assert len(audit("thread.locked")) == 1
    page = author_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Locked: only moderators may post." in page
    assert author_client.submit(f"/t/{thread.id}/moderate", {"action": "unlock"}).status_code == 403
    assert author_client.submit(f"/t/{thread.id}/reply", {"body": "But..."}).status_code == 400
    reply = moderator_client.submit(f"/t/{thread.id}/reply", {"body": "A moderator's note."})
    assert reply.status_code == 302
    assert db.session.get(Thread, thread.id).locked


def test_a_closed_thread_leaves_the_needs_response_queue_and_comes_back_when_reopened(as_member):
    community = make_community()
    moderator_client, _ = as_member("moderator")
    expert_client, expert = as_member(name="Erin Expert")
    author_client, author = as_member()
    thread = start_thread(author, community, "Which KPI convinced your CFO?", "For a board deck.")
    moderator_client.submit(f"/t/{thread.id}/assign", {"assignee": expert.handle})
    assert "Which KPI" in expert_client.get("/assigned").get_data(as_text=True)

    author_client.submit(f"/t/{thread.id}/close", {"reason": "found it myself"})
    assert "Which KPI" not in expert_client.get("/assigned").get_data(as_text=True)
    assert "Needs a response" not in expert_client.get(f"/t/{thread.id}").get_data(as_text=True)
    author_client.submit(f"/t/{thread.id}/reopen")
    assert "Which KPI" in expert_client.get("/assigned").get_data(as_text=True)


def test_close_reason_is_limited_and_closing_twice_says_so(as_member):
    community = make_community()
    client, author = as_member()
    thread = start_thread(author, community, "Short one", "A quick question for everyone.")
    client.submit(f"/t/{thread.id}/close", {"reason": "x" * 201})
    assert db.session.get(Thread, thread.id).closed_at is None
    client.submit(f"/t/{thread.id}/close")
    response = client.submit(f"/t/{thread.id}/close", follow_redirects=True)
    assert "already closed" in response.get_data(as_text=True)


# --- Flags on whole threads -------------------------------------------------------------------


def flag(client, thread: Thread, reason: str = "spam", text: str = ""):
    return client.submit(f"/t/{thread.id}/flag", {"reason": reason, "text": text})


def flag_ids(thread: Thread) -> list[int]:
    return list(db.session.scalars(select(Flag.id).where(Flag.thread_id == thread.id)))


def test_three_members_flagging_a_thread_hide_it_except_from_its_author_and_moderators(
    as_member, domain_events
):
    community = make_community()
    author_client, author = as_member()
    moderator_client, _ = as_member("moderator")
    flaggers = [as_member() for _ in range(3)]
    thread = start_thread(author, community, "Buy our platform", "It solves everything for you.")
    domain_events.clear()

    for client, _ in flaggers[:2]:
        assert flag(client, thread).status_code == 302
    assert flaggers[0][0].get(f"/t/{thread.id}").status_code == 200  # two are not enough
    flag(flaggers[2][0], thread, "other", "Looks like an advert.")
    first, second, third = (
        FlagRaised(flag_id=flag_id, thread_id=thread.id) for flag_id in flag_ids(thread)
    )
    # The third flag hides the thread, which changes where it can be found.
    assert domain_events.events == [first, second, ThreadChanged(thread_id=thread.id), third]

    other_client, _ = as_member()
    for client in (other_client, flaggers[0][0]):
        response = client.get(f"/t/{thread.id}")
        assert response.status_code == 404
        assert "Buy our platform" not in response.get_data(as_text=True)
        assert "Buy our platform" not in client.get("/c/strategy").get_data(as_text=True)
    page = author_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Hidden from members until a moderator reviews it" in page
    assert moderator_client.get(f"/t/{thread.id}").status_code == 200
    db.session.expire_all()
    assert db.session.get(Community, community.id).thread_count == 0


def test_thread_flags_are_checked_one_per_member_and_never_on_ones_own(as_member):
    community = make_community()
    author_client, author = as_member()
    client, _ = as_member()
    thread = start_thread(author, community, "A fair question", "What do your boards ask for?")

    flag(client, thread, "other")  # 'other' needs text
    flag(client, thread, "nonsense")
    flag(author_client, thread)
    assert count(Flag) == 0
    flag(client, thread)
    response = client.submit(
        f"/t/{thread.id}/flag", {"reason": "abusive", "text": ""}, follow_redirects=True
    )
    assert "already flagged this thread" in response.get_data(as_text=True)
    assert count(Flag) == 1


def test_the_queue_shows_thread_flags_beside_post_flags_oldest_first(as_member):
    community = make_community()
    moderator_client, _ = as_member("moderator")
    client, _ = as_member()
    _, author = as_member()
    older = start_thread(author, community, "Older thread", "Posted first, flagged later.")
    newer = start_thread(author, community, "Newer thread", "Posted second, its post flagged.")
    post = services.reply(author, newer.id, "A reply somebody dislikes a lot.")
    client.submit(f"/p/{post.id}/flag", {"reason": "off_topic"})
    flag(client, older, "other", "Belongs in another community.")

    page = moderator_client.get("/moderation/flags").get_data(as_text=True)
    assert "2 waiting" in page
    assert page.index("Older thread") < page.index("Newer thread")
    assert "Whole thread" in page and "Belongs in another community." in page
    assert f"/moderation/flags/thread/{older.id}" in page and f"/moderation/flags/{post.id}" in page


@pytest.mark.parametrize(
    ("decision", "visible", "deleted"),
    [("dismiss", True, False), ("hide", False, False), ("delete", False, True)],
)
def test_deciding_on_a_hidden_thread(as_member, decision, visible, deleted):
    community = make_community()
    moderator_client, _ = as_member("moderator")
    _, author = as_member()
    reader_client, _ = as_member()
    thread = start_thread(author, community, "Contested", "Some members think this is spam.")
    for _ in range(3):
        flag(as_member()[0], thread)

    response = moderator_client.submit(
        f"/moderation/flags/thread/{thread.id}", {"decision": decision, "note": "Reviewed."}
    )
    assert response.status_code == 302
    assert (reader_client.get(f"/t/{thread.id}").status_code == 200) is visible
    assert (db.session.get(Thread, thread.id).deleted_at is not None) is deleted
    assert count(Flag, Flag.resolved_at.is_(None)) == 0
    [entry] = audit(f"thread.{decision}")
    assert entry.target_id == thread.id and entry.reason == "Reviewed."
    assert db.session.get(Community, community.id).thread_count == (1 if visible else 0)
    # Every decision clears the queue; a thread kept hidden stays hidden, with the note.
    assert "Nothing to review" in moderator_client.get("/moderation/flags").get_data(as_text=True)
    if decision == "hide":
        assert db.session.get(Thread, thread.id).held_reason == "Reviewed."


def test_warning_a_threads_author_emails_them_and_shows_the_thread(as_member, outbox):
    community = make_community()
    moderator_client, _ = as_member("moderator")
    _, author = as_member()
    thread = start_thread(author, community, "Borderline", "Our product is worth a look.")
    flag(as_member()[0], thread, "sales_pitch")

    moderator_client.submit(f"/moderation/flags/thread/{thread.id}", {"decision": "warn"})
    assert count(Flag, Flag.resolved_at.is_(None)) == 1  # a warning needs its text
    moderator_client.submit(
        f"/moderation/flags/thread/{thread.id}",
        {"decision": "warn", "note": "Please keep vendor talk out."},
    )
    [message] = outbox.to(author.email)
    text = outbox.text(message)
    assert 'your thread "Borderline"' in text and "Please keep vendor talk out." in text


def test_members_cannot_decide_on_thread_flags(as_member):
    community = make_community()
    client, _ = as_member()
    _, author = as_member()
    thread = start_thread(author, community, "Fine thread", "Nothing wrong with this at all.")
    flag(as_member()[0], thread)
    assert client.get("/moderation/flags").status_code == 403
    response = client.submit(f"/moderation/flags/thread/{thread.id}", {"decision": "delete"})
    assert response.status_code == 403
    assert db.session.get(Thread, thread.id).deleted_at is None


def test_only_a_moderator_reopens_a_thread_a_moderator_closed(as_member):
    community = make_community()
    moderator_client, _ = as_member("moderator")
    author_client, author = as_member()
    thread = start_thread(author, community, "Agency retainers", "Worth it in 2027?")
    moderator_client.submit(f"/t/{thread.id}/close", {"reason": "off-topic"})

    page = author_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Closed by" in page and "Reopen the thread" not in page
    assert author_client.submit(f"/t/{thread.id}/reopen").status_code == 403
    assert db.session.get(Thread, thread.id).is_closed

    assert "Reopen the thread" in moderator_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert moderator_client.submit(f"/t/{thread.id}/reopen").status_code == 302
    assert not db.session.get(Thread, thread.id).is_closed


def test_the_author_reopens_their_own_close(as_member):
    community = make_community()
    author_client, author = as_member()
    thread = start_thread(author, community, "Agency retainers", "Worth it in 2027?")
    author_client.submit(f"/t/{thread.id}/close", {"reason": "answered"})
    assert "Reopen the thread" in author_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert author_client.submit(f"/t/{thread.id}/reopen").status_code == 302
    assert not db.session.get(Thread, thread.id).is_closed
