"""Flags on posts through the routes: three distinct flaggers hide a post, and the moderators'
queue decides (dismiss, keep hidden, delete, warn), audit-logged, emptying as it goes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.extensions import db
from community.forum.models import Community, Post
from community.moderation.models import Flag
from tests.integration.test_forum import count, make_community, start_thread


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.fixture
def flagged_setup(as_member):
    community = make_community()
    _, author = as_member()
    thread = start_thread(author, community, "Vendor shortlists", "Which vendors made yours?")
    return community, author, thread, thread_posts(thread)[0]


def thread_posts(thread) -> list[Post]:
    # In order: PostgreSQL returns rows in no set order, and an updated row moves.
    return list(
        db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.number))
    )


def test_three_distinct_flaggers_hide_a_post_and_each_flags_once(as_member, flagged_setup):
    _, _, thread, post = flagged_setup
    reader_client, _ = as_member()
    flaggers = [as_member()[0] for _ in range(3)]

    first = flaggers[0].submit(f"/p/{post.id}/flag", {"reason": "spam"})
    assert first.status_code == 302
    again = flaggers[0].submit(f"/p/{post.id}/flag", {"reason": "off_topic"}, follow_redirects=True)
    assert "You have already flagged this post" in again.get_data(as_text=True)
    flaggers[1].submit(f"/p/{post.id}/flag", {"reason": "sales_pitch"})
    assert "Which vendors made yours?" in reader_client.get(f"/t/{thread.id}").get_data(True)

    flaggers[2].submit(f"/p/{post.id}/flag", {"reason": "other", "text": "Reads like an ad."})
    assert "Which vendors made yours?" not in reader_client.get(f"/t/{thread.id}").get_data(True)
    assert db.session.get(Post, post.id).held_reason.startswith("Hidden after 3 members")
    assert count(Flag, Flag.post_id == post.id) == 3


@pytest.mark.parametrize(
    ("reason", "text", "error"),
    [
        ("", "", "Choose why you are flagging this."),
        ("other", "  ", "Say what is wrong"),
        ("nonsense", "", "Choose why you are flagging this."),
    ],
)
def test_a_flag_without_a_valid_reason_is_refused(as_member, flagged_setup, reason, text, error):
    _, _, _, post = flagged_setup
    client, _ = as_member()
    response = client.submit(
        f"/p/{post.id}/flag", {"reason": reason, "text": text}, follow_redirects=True
    )
    assert error in response.get_data(as_text=True)
    assert count(Flag) == 0


def test_authors_cannot_flag_their_own_post(app, flagged_setup):
    _, author, _, post = flagged_setup
    client = app.test_client()
    client.sign_in(author.email)
    response = client.submit(f"/p/{post.id}/flag", {"reason": "spam"}, follow_redirects=True)
    assert "You cannot flag your own post" in response.get_data(as_text=True)
    assert count(Flag) == 0


@pytest.mark.parametrize(
    ("decision", "visible", "deleted"),
    [
        ("dismiss", True, False),
        ("warn", True, False),
        ("hide", False, False),
        ("delete", False, True),
    ],
)
def test_every_decision_resolves_the_flags_and_empties_the_queue(
    as_member, flagged_setup, outbox, decision, visible, deleted
):
    community, author, thread, post = flagged_setup
    moderator_client, _ = as_member("moderator")
    reader_client, _ = as_member()
    for _ in range(3):
        as_member()[0].submit(f"/p/{post.id}/flag", {"reason": "spam"})
    queue = moderator_client.get("/moderation/flags").get_data(as_text=True)
    assert "1 waiting" in queue and "Which vendors made yours?" in queue

    response = moderator_client.submit(
        f"/moderation/flags/{post.id}", {"decision": decision, "note": "Checked it."}
    )
    assert response.status_code == 302
    shown = "Which vendors made yours?" in reader_client.get(f"/t/{thread.id}").get_data(True)
    assert shown is visible
    assert (db.session.get(Post, post.id).deleted_at is not None) is deleted
    assert count(Flag, Flag.resolved_at.is_(None)) == 0
    [entry] = audit(f"post.{decision}")
    assert entry.target_id == post.id and entry.reason == "Checked it."
    assert "Nothing to review" in moderator_client.get("/moderation/flags").get_data(True)
    warned = [m for m in outbox.to(author.email) if "moderators" in m["Subject"]]
    assert len(warned) == (1 if decision == "warn" else 0)
    assert db.session.get(Community, community.id).post_count == (1 if visible else 0)


def test_a_post_held_by_the_pitch_check_waits_in_the_queue_until_decided(app, as_member):
    community = make_community()
    _, author = as_member()
    moderator_client, _ = as_member("moderator")
    thread = start_thread(author, community, "Routine question", "How do you brief boards?")
    pitch = "Book a demo today! 50% discount, pricing on request, DM me for the deal."
    client = app.test_client()
    client.sign_in(author.email)
    assert client.submit(f"/t/{thread.id}/reply", {"body": pitch}).status_code == 302
    held = thread_posts(thread)[-1]
    assert held.is_held
    assert "Book a demo today" in moderator_client.get("/moderation/flags").get_data(True)
    moderator_client.submit(f"/moderation/flags/{held.id}", {"decision": "hide", "note": ""})
    assert "Nothing to review" in moderator_client.get("/moderation/flags").get_data(True)
    assert db.session.get(Post, held.id).is_held
