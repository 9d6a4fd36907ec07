"""Discussions through the routes: new-member limits, the sales-pitch hold, assignments and
moving threads."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.forum.models import (
    Community,
    Post,
    Thread,
)
from tests.factories.forum import add_posts, make_community, start_thread
from tests.integration.test_forum import count, thread_id_from

# --- New-member limits and the sales-pitch hold -----------------------------------------------

LINKS = "Useful: https://hbr.org/a-study, https://en.wikipedia.org/wiki/Brand and https://www.mckinsey.com/insights."


def test_new_member_link_limit_keeps_the_typed_text(as_member):
    make_community("strategy")
    client, member = as_member()
    response = client.submit("/c/strategy/new", {"title": "Reading list for Q3", "body": LINKS})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "New members can include up to 2 links per post" in page
    assert "https://www.mckinsey.com/insights" in page  # the body comes back
    assert 'value="Reading list for Q3"' in page  # and so does the title
    assert count(Thread) == 0 and count(Post) == 0

    community = db.session.scalars(select(Community)).one()
    thread = start_thread(member, community, "Reading list", "Share your favourite reads.")
    response = client.submit(f"/t/{thread.id}/reply", {"body": LINKS})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "New members can include up to 2 links per post" in page
    assert "https://hbr.org/a-study" in page
    assert count(Post) == 1


def test_link_limit_lifts_after_the_new_member_days(app, as_member):
    app.config["NEW_MEMBER_DAYS"] = 0
    make_community("strategy")
    client, _ = as_member()
    response = client.submit("/c/strategy/new", {"title": "Reading list for Q3", "body": LINKS})
    assert response.status_code == 302


def test_new_member_thread_limit_on_the_first_day(app, as_member):
    community = make_community("strategy")
    client, member = as_member()
    for n in range(app.config["NEW_MEMBER_THREADS_FIRST_DAY"]):
        start_thread(member, community, f"Topic {n}", f"Opening {'abc' * (n + 1)} words {n}.")
    response = client.submit(
        "/c/strategy/new", {"title": "One more topic", "body": "A genuinely new question."}
    )
    assert response.status_code == 429 and "Retry-After" in response.headers
    page = response.get_data(as_text=True)
    assert "threads" in page and "A genuinely new question." in page


PITCH = "We solved exactly this at https://example-corp.com/platform, book a demo with me."


def test_pitchy_post_is_held_and_the_author_sees_why(as_member):
    community = make_community("strategy")
    author_client, _ = as_member()  # works at Example Corp, member...@example-corp.com
    other, _ = as_member()
    moderator, _ = as_member("moderator")
    _, starter = as_member()
    thread = start_thread(starter, community, "Tooling for listening", "What do you use?")

    response = author_client.submit(f"/t/{thread.id}/reply", {"body": PITCH}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "held for a moderator" in page
    assert "example-corp.com" in page and "book a demo" in page  # the evidence is shown
    post = db.session.scalars(select(Post).where(Post.number == 2)).one()
    assert post.is_held
    assert db.session.get(Thread, thread.id).post_count == 1

    assert "solved exactly this" not in other.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "1 new thread, 1 post" in other.get("/c/").get_data(as_text=True)  # the held one off
    assert other.get(f"/t/{thread.id}?quote={post.id}").status_code == 404
    assert other.submit(f"/p/{post.id}/react", {"kind": "like"}).status_code == 404
    mod_page = moderator.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "solved exactly this" in mod_page and "Held for a moderator" in mod_page


def test_pitchy_thread_is_held_with_its_first_post(as_member):
    make_community("strategy")
    author_client, _ = as_member()
    other, _ = as_member()
    response = author_client.submit("/c/strategy/new", {"title": "A platform", "body": PITCH})
    assert response.status_code == 302
    thread_id = thread_id_from(response)
    page = author_client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "Held for a moderator" in page and "solved exactly this" in page
    assert "solved exactly this" not in other.get(f"/t/{thread_id}").get_data(as_text=True)


def test_a_refused_reply_keeps_the_text_and_pages_through_the_thread(as_member, app):
    app.config["NEW_MEMBER_LINKS_PER_POST"] = 0
    app.config["POSTS_PER_MINUTE"] = app.config["NEW_MEMBER_POSTS_PER_HOUR"] = 100  # 25 at once
    community = make_community()
    client, member = as_member()
    thread = start_thread(member, community, "Long thread", "Opening thoughts on measurement.")
    add_posts(thread, member, 25)

    response = client.submit(
        f"/t/{thread.id}/reply", {"body": "See https://example.org/report for details."}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "links per post" in page
    assert "See https://example.org/report for details." in page  # nothing typed is lost
    assert f'href="/t/{thread.id}?page=1"' in page
    assert "/reply?page" not in page


def test_needs_response_assignment_waits_in_the_assignees_queue_until_they_reply(as_member, app):
    app.config["NEW_MEMBER_DAYS"] = 0
    community = make_community()
    moderator_client, _ = as_member("moderator")
    expert_client, expert = as_member(name="Erin Expert")
    _, author = as_member()
    thread = start_thread(
        author, community, "Which KPI convinced your CFO?", "Asking for a board deck."
    )

    assert (
        moderator_client.submit(
            f"/t/{thread.id}/assign", {"assignee": f"@{expert.handle}"}
        ).status_code
        == 302
    )
    assert "Needs a response from Erin Expert" in moderator_client.get(f"/t/{thread.id}").get_data(
        as_text=True
    )
    assert "Which KPI convinced your CFO?" in expert_client.get("/assigned").get_data(as_text=True)

    expert_client.submit(f"/t/{thread.id}/reply", {"body": "Cost per qualified conversation."})
    queue = expert_client.get("/assigned").get_data(as_text=True)
    assert "Nothing is waiting for you" in queue


def test_assignment_refuses_members_who_cannot_see_the_thread_and_non_moderators(as_member):
    community = make_community("board-room", tier="council")
    moderator_client, moderator = as_member("moderator")
    member_client, _ = as_member()
    _, outsider = as_member(tier="strategist")
    thread = start_thread(moderator, community, "Board-only topic", "Discussing the board pack.")

    moderator_client.submit(f"/t/{thread.id}/assign", {"assignee": outsider.handle})
    page = moderator_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Name an active member who can see this thread" in page
    assert '<p class="notice">Needs a response' not in page
    assert member_client.submit(f"/t/{thread.id}/assign", {"assignee": "x"}).status_code == 403


def test_moving_a_thread_moves_its_counts(as_member):
    source = make_community("source")
    target = make_community("target")
    client, moderator = as_member("moderator")
    thread = start_thread(moderator, source, "Misfiled question", "This belongs elsewhere really.")

    assert client.submit(f"/t/{thread.id}/move", {"community": "target"}).status_code == 302

    db.session.expire_all()
    assert thread.community_id == target.id
    assert (source.thread_count, source.post_count) == (0, 0)
    assert (target.thread_count, target.post_count) == (1, 1)
    assert "Misfiled question" in client.get("/c/target").get_data(as_text=True)
