"""The words on the page (issue 14, "Finish"): the flag queue's decisions, a held post's
reason, the nomination form, "Jump to first unread" and a resource's topics."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from community.extensions import db
from community.forum.models import Post
from tests import factories


def test_the_flag_queue_preselects_nothing_and_asks_before_taking_a_post_away(as_member):
    _, author = as_member()
    thread = factories.start_thread(author, factories.make_community(), "Shortlists", "Which?")
    moderator, _ = as_member("moderator")
    flagger, _ = as_member()
    first_post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
    flagger.submit(f"/p/{first_post.id}/flag", {"reason": "spam"})

    queue = moderator.get("/moderation/flags").get_data(as_text=True)

    assert "<select" not in queue and "selected" not in queue and ">Decide<" not in queue
    buttons = re.findall(
        r'<button type="submit" name="decision" value="(\w+)"[^>]*>([^<]+)<', queue
    )
    assert buttons == [
        ("dismiss", "Dismiss the flags and show it"),
        ("warn", "Warn the author (and show it)"),
        ("hide", "Yes: keep it hidden"),
        ("delete", "Yes: delete it"),
    ]
    for label, question in (
        ("Keep it hidden", "Hide it from members until a moderator shows it again?"),
        ("Delete it", "Delete it? Members will no longer see it."),
    ):  # behind a disclosure: one click to ask, one to confirm, no script needed
        assert re.search(
            rf"<details[^>]*>\s*<summary>{label}…</summary>\s*<p>{re.escape(question)}</p>", queue
        )


def test_a_held_post_says_once_what_reads_like_a_pitch_and_what_to_change(app, as_member):
    app.config["NEW_MEMBER_DAYS"] = 0
    client, author = as_member()
    thread = factories.start_thread(author, factories.make_community(), "Boards", "How?")
    pitch = "We solved this. Book a demo with me, 30% off this month."

    page = client.submit(f"/t/{thread.id}/reply", {"body": pitch}, follow_redirects=True)

    text = html.unescape(page.get_data(as_text=True))
    assert "Your reply is held for a moderator's review" in text
    assert text.count("read like a sales pitch") == 1
    assert "scored" not in text and "threshold" not in text
    assert "Book a demo" in text and "30% off" in text  # what was found, as written
    assert "drop the invitation to a demo" in text and "leave out prices, discounts" in text
    held = db.session.scalars(select(Post).where(Post.thread_id == thread.id, Post.number == 2))
    assert held.one().is_held


def test_the_nomination_form_asks_why_this_person(as_member, client):
    member_client, _ = as_member()

    nominate = member_client.get("/nominate").get_data(as_text=True)

    assert "Why do you nominate this person?" in nominate
    assert "Why do you want to join?" not in nominate
    assert "Why do you want to join?" in client.get("/apply").get_data(as_text=True)


def test_jump_to_first_unread_only_for_someone_elses_post(app, as_member):
    app.config["NEW_MEMBER_DAYS"] = 0
    author_client, author = as_member()
    thread = factories.start_thread(author, factories.make_community(), "Boards", "How?")

    assert "Jump to first unread" not in author_client.get(f"/t/{thread.id}").get_data(True)

    peer_client, _ = as_member()
    peer_client.submit(f"/t/{thread.id}/reply", {"body": "We brief them monthly, in person."})
    page = author_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Jump to first unread" in page
    jump = author_client.get(f"/t/{thread.id}/unread")
    assert jump.status_code == 302 and jump.headers["Location"].endswith("#p2")


def test_a_resources_topics_are_links_with_a_follow_control_beside_each(as_member):
    client, _ = as_member()
    editor = factories.make_member("owner")
    resource = factories.make_resource(editor, "Crisis playbook", topics="Crisis, Board reporting")

    page = client.get(f"/library/{resource.id}").get_data(as_text=True)

    topics = page[
        page.index('id="topics-heading"') : page.index("</section>", page.index("topics-heading"))
    ]
    assert '<a class="topic" href="/library?topic=crisis">Crisis</a>' in topics
    assert '<a class="topic" href="/library?topic=board-reporting">Board reporting</a>' in topics
    assert re.search(r'<button[^>]*aria-label="Follow Crisis">Follow</button>', topics)
    assert ">Follow Crisis<" not in topics
