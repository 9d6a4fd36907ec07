"""Discussions through the routes: communities, threads, replies, reactions, edits, moderation,
read positions, mentions, new-member limits and the sales-pitch hold."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum import services, watching
from community.forum.models import (
    Community,
    Mention,
    PollOption,
    PollVote,
    Post,
    PostRevision,
    Reaction,
    Thread,
    WatchLevel,
)
from community.forum.polls import PollDraft
from tests import factories


def make_community(slug: str = "strategy", tier: str = "strategist", **kwargs) -> Community:
    community = Community(
        slug=slug,
        name=kwargs.pop("name", slug.replace("-", " ").title()),
        description=kwargs.pop("description", ""),
        category=kwargs.pop("category", "General"),
        min_tier=factories.tier(tier),
        **kwargs,
    )
    db.session.add(community)
    commit()
    return community


def start_thread(author, community: Community, title: str, body: str) -> Thread:
    return services.create_thread(author, community, title, body)


def add_posts(thread: Thread, author, count: int) -> list[Post]:
    """Posts written straight through the service's insert (no limits, no pitch check)."""
    posts = [
        services._add_post(author, thread, f"Observation {n}: {'xyz' * n} differs.", "")
        for n in range(count)
    ]
    commit()
    return posts


def thread_id_from(response) -> int:
    match = re.search(r"/t/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# --- Communities ------------------------------------------------------------------------------


COMMUNITY_FORM = {
    "name": "Brand Strategy",
    "slug": "brand-strategy",
    "description": "How executives build brands on social.",
    "category": "Marketing",
    "min_tier": "executive",
    "position": "1",
}


def test_owner_creates_a_community(as_member):
    client, _ = as_member("owner")
    assert client.get("/admin/communities/new").status_code == 200
    response = client.submit("/admin/communities/new", COMMUNITY_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    community = db.session.scalars(select(Community)).one()
    assert (community.slug, community.min_tier.slug, community.category) == (
        "brand-strategy",
        "executive",
        "Marketing",
    )
    listing = client.get("/c/").get_data(as_text=True)
    assert "Brand Strategy" in listing and "Marketing" in listing
    assert client.get("/c/brand-strategy").status_code == 200
    assert "brand-strategy" in client.get("/admin/communities").get_data(as_text=True)


def test_community_slug_clash_comes_back_with_an_error(as_member):
    make_community("brand-strategy")
    client, _ = as_member("owner")
    response = client.submit("/admin/communities/new", COMMUNITY_FORM)
    assert response.status_code == 400
    assert "Another community uses that address." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["moderator", "member"])
def test_only_owners_manage_communities(as_member, role):
    community = make_community()
    client, _ = as_member(role)
    assert client.get("/admin/communities").status_code == 403
    assert client.get("/admin/communities/new").status_code == 403
    assert client.submit("/admin/communities/new", COMMUNITY_FORM).status_code == 403
    assert client.submit(f"/admin/communities/{community.id}/archive").status_code == 403
    assert count(Community) == 1
    assert db.session.get(Community, community.id).archived_at is None


def test_archived_community_is_hidden_from_members(as_member):
    community = make_community("old-room", name="Old Room")
    owner, _ = as_member("owner")
    member, _ = as_member()
    assert owner.submit(f"/admin/communities/{community.id}/archive").status_code == 302
    assert "Old Room" not in member.get("/c/").get_data(as_text=True)
    assert member.get("/c/old-room").status_code == 404
    assert owner.get("/c/old-room").status_code == 200


# --- Threads and replies ----------------------------------------------------------------------


def test_post_a_thread_and_replies_through_the_routes(as_member):
    make_community("strategy", name="Strategy Room")
    alice, _ = as_member(name="Alice Archer")
    bob, _ = as_member(name="Bob Brennan")

    assert alice.get("/c/strategy/new").status_code == 200
    response = alice.submit(
        "/c/strategy/new",
        {"title": "Measuring share of voice", "body": "How do you measure share of voice?"},
    )
    assert response.status_code == 302
    thread_id = thread_id_from(response)
    assert response.headers["Location"].endswith(f"/t/{thread_id}")

    response = bob.submit(f"/t/{thread_id}/reply", {"body": "We track it weekly by region."})
    assert response.status_code == 302
    assert re.search(rf"/t/{thread_id}\?page=1#p2$", response.headers["Location"])
    response = alice.submit(
        f"/t/{thread_id}/reply", {"body": "Thanks, which tools do you rely on for that?"}
    )
    assert response.headers["Location"].endswith("#p3")

    posts = db.session.scalars(select(Post).where(Post.thread_id == thread_id)).all()
    assert sorted(post.number for post in posts) == [1, 2, 3]
    page = bob.get(f"/t/{thread_id}").get_data(as_text=True)
    for n in (1, 2, 3):
        assert f'id="p{n}"' in page and f"#{n} ·" in page
    assert page.index("share of voice?") < page.index("weekly by region") < page.index("tools")
    assert "3 posts" in page

    listing = bob.get("/c/").get_data(as_text=True)
    assert "1 threads · 3 posts" in listing
    community_page = bob.get("/c/strategy").get_data(as_text=True)
    assert "Measuring share of voice" in community_page and "3 posts" in community_page


def test_empty_reply_comes_back_with_an_error(as_member):
    community = make_community()
    client, member = as_member()
    thread = start_thread(member, community, "Budget season", "What changed this year?")
    response = client.submit(f"/t/{thread.id}/reply", {"body": "   "})
    assert response.status_code == 400
    assert count(Post) == 1


EXECUTABLE_LINK = re.compile(r"<a\b[^>]*href=[\"']?\s*javascript:", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z]+\b[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_markdown_is_rendered_and_sanitized_and_titles_are_plain_text(as_member):
    make_community("strategy")
    client, _ = as_member()
    body = (
        "We saw **strong** results.\n\n"
        "<script>alert('body')</script>\n\n"
        "[click me](javascript:alert('link'))\n\n"
        '<a href="javascript:alert(1)" onclick="alert(2)">raw</a>\n\n'
        "<img src=x onerror=alert(3)>"
    )
    title = "<script>alert('title')</script> <b>Q3</b> [x](javascript:alert(4))"
    response = client.submit("/c/strategy/new", {"title": title, "body": body})
    assert response.status_code == 302
    thread_id = thread_id_from(response)

    reader, _ = as_member()
    for url in ("/", "/c/strategy", f"/t/{thread_id}"):
        page = reader.get(url).get_data(as_text=True)
        assert "<script>alert" not in page, url
        assert not EXECUTABLE_LINK.search(page), url
        assert not EVENT_HANDLER.search(page), url
        assert "<b>Q3</b>" not in page, url
        assert "&lt;script&gt;alert(" in page, url  # the title, shown as typed
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "<strong>strong</strong>" in page
    assert "<title>&lt;script&gt;" in page or "<script>alert('title')" not in page


# --- Reactions --------------------------------------------------------------------------------


def test_reactions_toggle_and_show_who_reacted(as_member):
    community = make_community()
    author_client, author = as_member(name="Alice Archer")
    bob, _ = as_member(name="Bob Brennan")
    thread = start_thread(author, community, "Board reporting", "Which metrics reach the board?")
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()

    response = bob.submit(f"/p/{post.id}/react", {"kind": "insightful"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#p1")
    page = bob.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Insightful: Bob Brennan" in page
    assert 'aria-pressed="true"' in page
    assert count(Reaction) == 1

    bob.submit(f"/p/{post.id}/react", {"kind": "insightful"})
    assert count(Reaction) == 0
    assert "Insightful: Bob Brennan" not in bob.get(f"/t/{thread.id}").get_data(as_text=True)

    response = author_client.submit(f"/p/{post.id}/react", {"kind": "like"}, follow_redirects=True)
    assert "You cannot react to your own post." in response.get_data(as_text=True)
    assert count(Reaction) == 0

    response = bob.submit(f"/p/{post.id}/react", {"kind": "love"}, follow_redirects=True)
    assert "Unknown reaction." in response.get_data(as_text=True)
    assert count(Reaction) == 0


# --- Editing and revisions --------------------------------------------------------------------


def test_edit_keeps_a_revision_that_only_moderators_see(as_member):
    community = make_community()
    author_client, author = as_member()
    other, _ = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(author, community, "Agency fees", "Our agency charges monthly.")
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()

    page = author_client.get(f"/p/{post.id}/edit")
    assert page.status_code == 200 and "Our agency charges monthly." in page.get_data(as_text=True)
    response = author_client.submit(
        f"/p/{post.id}/edit", {"body": "Our agency charges per project."}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#p1")
    assert [r.body for r in db.session.scalars(select(PostRevision))] == [
        "Our agency charges monthly."
    ]
    thread_page = other.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "per project" in thread_page and "edited" in thread_page
    assert "charges monthly" not in thread_page
    assert f"/p/{post.id}/revisions" not in thread_page

    assert author_client.get(f"/p/{post.id}/revisions").status_code == 403
    assert other.get(f"/p/{post.id}/revisions").status_code == 403
    assert other.get(f"/p/{post.id}/edit").status_code == 403
    assert other.submit(f"/p/{post.id}/edit", {"body": "Hijacked."}).status_code == 403

    assert f"/p/{post.id}/revisions" in moderator.get(f"/t/{thread.id}").get_data(as_text=True)
    history = moderator.get(f"/p/{post.id}/revisions")
    assert history.status_code == 200
    text = history.get_data(as_text=True)
    assert "Our agency charges monthly." in text and "Our agency charges per project." in text


def test_authors_edit_only_within_the_window(app, as_member):
    community = make_community()
    author_client, author = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(author, community, "Old thoughts", "A first draft of my thinking.")
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
    window = app.config["EDIT_WINDOW_MINUTES"]
    post.created_at = utcnow() - timedelta(minutes=window + 1)
    commit()

    assert author_client.get(f"/p/{post.id}/edit").status_code == 403
    assert author_client.submit(f"/p/{post.id}/edit", {"body": "Late change."}).status_code == 403
    assert "Late change." not in db.session.get(Post, post.id).body
    assert 'href="/p/' + str(post.id) + '/edit"' not in author_client.get(
        f"/t/{thread.id}"
    ).get_data(as_text=True)
    # Moderators edit at any time.
    response = moderator.submit(f"/p/{post.id}/edit", {"body": "A tidied draft."})
    assert response.status_code == 302
    assert db.session.get(Post, post.id).body == "A tidied draft."


# --- Deleting, locking, pinning ---------------------------------------------------------------


def test_soft_delete_hides_from_members_but_not_moderators(as_member):
    community = make_community("strategy")
    author_client, author = as_member()
    other, _ = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(author, community, "Retention", "How do you keep top talent?")
    author_client.submit(f"/t/{thread.id}/reply", {"body": "Regretful wording, remove me."})
    post = db.session.scalars(select(Post).where(Post.number == 2)).one()

    assert other.submit(f"/p/{post.id}/delete").status_code == 403
    response = author_client.submit(f"/p/{post.id}/delete")
    assert response.status_code == 302
    assert db.session.get(Post, post.id).deleted_at is not None
    assert db.session.get(Thread, thread.id).post_count == 1
    assert db.session.get(Community, community.id).post_count == 1

    for client in (other, author_client):
        page = client.get(f"/t/{thread.id}").get_data(as_text=True)
        assert "Regretful wording" not in page and 'id="p2"' not in page
        assert client.get(f"/p/{post.id}/edit").status_code == 404
        assert client.submit(f"/p/{post.id}/react", {"kind": "like"}).status_code == 404
    page = moderator.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Regretful wording" in page and "Deleted; visible to moderators only." in page
    assert "1 threads · 1 posts" in other.get("/c/").get_data(as_text=True)


def test_lock_blocks_member_replies(as_member):
    community = make_community()
    member_client, member = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(member, community, "Closing soon", "Let us wrap this topic up.")

    assert member_client.submit(f"/t/{thread.id}/moderate", {"action": "lock"}).status_code == 403
    assert moderator.submit(f"/t/{thread.id}/moderate", {"action": "lock"}).status_code == 302
    flashed = moderator.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Thread locked: only moderators may post." in flashed
    assert db.session.get(Thread, thread.id).locked

    response = member_client.submit(f"/t/{thread.id}/reply", {"body": "One more thought."})
    assert response.status_code == 400
    assert "This thread is locked" in response.get_data(as_text=True)
    assert count(Post) == 1
    page = member_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "only moderators may post" in page and f"/t/{thread.id}/reply" not in page

    assert moderator.submit(f"/t/{thread.id}/reply", {"body": "Closing note."}).status_code == 302
    assert count(Post) == 2
    moderator.submit(f"/t/{thread.id}/moderate", {"action": "unlock"})
    response = member_client.submit(f"/t/{thread.id}/reply", {"body": "Reopened, thanks."})
    assert response.status_code == 302
    assert moderator.submit(f"/t/{thread.id}/moderate", {"action": "explode"}).status_code == 400


def test_pinned_threads_come_first(as_member):
    community = make_community("strategy")
    member_client, member = as_member()
    moderator, _ = as_member("moderator")
    old = start_thread(member, community, "House rules thread", "Please read these first.")
    start_thread(member, community, "Fresh discussion thread", "Something newer to discuss.")
    page = member_client.get("/c/strategy").get_data(as_text=True)
    assert page.index("Fresh discussion thread") < page.index("House rules thread")

    assert moderator.submit(f"/t/{old.id}/moderate", {"action": "pin"}).status_code == 302
    page = member_client.get("/c/strategy").get_data(as_text=True)
    assert page.index("House rules thread") < page.index("Fresh discussion thread")
    assert "Pinned" in page
    moderator.submit(f"/t/{old.id}/moderate", {"action": "unpin"})
    page = member_client.get("/c/strategy").get_data(as_text=True)
    assert page.index("Fresh discussion thread") < page.index("House rules thread")


# --- Read positions ---------------------------------------------------------------------------


def test_read_positions_and_unread(as_member):
    community = make_community("strategy", name="Strategy Room")
    _, author = as_member()
    reader, _ = as_member()
    thread = start_thread(author, community, "Long running thread", "The opening post.")
    add_posts(thread, author, 21)  # 22 posts: two pages

    # Never opened: new everywhere.
    assert "22 unread" in reader.get("/c/").get_data(as_text=True)
    assert "New" in reader.get("/c/strategy").get_data(as_text=True)
    home = reader.get("/").get_data(as_text=True)
    assert "Long running thread" in home and "22 unread" in home

    page = reader.get(f"/t/{thread.id}").get_data(as_text=True)  # posts 1-20
    assert 'id="p20"' in page and 'id="p21"' not in page
    assert "2 unread" in reader.get("/c/").get_data(as_text=True)
    assert "2 unread" in reader.get("/c/strategy").get_data(as_text=True)
    assert "2 unread" in reader.get("/").get_data(as_text=True)

    response = reader.get(f"/t/{thread.id}/unread")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{thread.id}?page=2#p21")

    reader.get(f"/t/{thread.id}?page=2")
    assert "unread" not in reader.get("/c/").get_data(as_text=True).replace("has-unread", "")
    assert "Long running thread" not in reader.get("/").get_data(as_text=True)
    # All read: the unread link goes to the last post.
    response = reader.get(f"/t/{thread.id}/unread")
    assert response.headers["Location"].endswith("?page=2#p22")

    add_posts(thread, author, 1)
    home = reader.get("/").get_data(as_text=True)
    assert "Long running thread" in home and "1 unread" in home
    assert reader.get(f"/t/{thread.id}/unread").headers["Location"].endswith("?page=2#p23")


def test_own_reply_counts_as_read(as_member):
    community = make_community()
    client, _ = as_member()
    _, other = as_member()
    thread = start_thread(other, community, "Quiet thread", "Anyone around this week?")
    client.submit(f"/t/{thread.id}/reply", {"body": "Yes, here and happy to help."})
    assert "Quiet thread" not in client.get("/").get_data(as_text=True)


# --- Mentions ---------------------------------------------------------------------------------


def test_mentions_are_stored_for_members(as_member):
    community = make_community()
    client, author = as_member(name="Alice Archer")
    _, grace = as_member(name="Grace Hopper")
    thread = start_thread(author, community, "Compilers", "Who built the first one?")
    response = client.submit(
        f"/t/{thread.id}/reply",
        {"body": "Ask @grace.hopper about it; @nobody.here cannot help, nor can @alice.archer."},
    )
    assert response.status_code == 302
    post = db.session.scalars(select(Post).where(Post.number == 2)).one()
    assert [(m.post_id, m.member_id) for m in db.session.scalars(select(Mention))] == [
        (post.id, grace.id)
    ]
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert '<span class="mention">@grace.hopper</span>' in page


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
    assert "1 threads · 1 posts" in other.get("/c/").get_data(as_text=True)
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
    assert "Needs a response from" not in page.split("<summary>")[0]
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


def test_a_poll_takes_one_vote_per_member_and_shows_results_after_voting(as_member):
    make_community()
    author_client, _ = as_member()
    voter_client, _ = as_member()
    response = author_client.submit(
        "/c/strategy/new",
        {
            "title": "Is Director the right bar?",
            "body": "The policy admits Directors; should it?",
            "poll_question": "Should Directors be admitted?",
            "poll_options": "Yes\nNo\nOnly with social strategy responsibility",
        },
    )
    thread_url = response.headers["Location"]
    page = voter_client.get(thread_url).get_data(as_text=True)
    assert "Should Directors be admitted?" in page and "results show once you vote" in page
    option_ids = re.findall(r'name="option" value="(\d+)"', page)
    assert len(option_ids) == 3

    voter_client.submit(f"{thread_url}/vote", {"option": option_ids[2]})
    page = voter_client.get(thread_url).get_data(as_text=True)
    assert "(your vote)" in page and "1 voter" in page and "100%" in page

    voter_client.submit(f"{thread_url}/vote", {"option": option_ids[0]})
    assert "already voted" in voter_client.get(thread_url).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 1


def test_poll_input_errors_keep_the_thread_unwritten(as_member):
    make_community()
    client, _ = as_member()
    response = client.submit(
        "/c/strategy/new",
        {
            "title": "One-option poll",
            "body": "Body text here.",
            "poll_question": "Q?",
            "poll_options": "Only one",
        },
    )
    assert response.status_code == 400
    assert "Give 2 to 10 options" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Thread.id))) == 0


def test_single_choice_poll_refuses_two_options_and_closed_poll_refuses_votes(as_member):
    community = make_community()
    author_client, author = as_member()
    voter_client, _ = as_member()
    thread = services.create_thread(
        author,
        community,
        "Budget split",
        "How do you split it?",
        PollDraft("Paid or organic first?", ["Paid", "Organic"]),
    )
    options = [option.id for option in db.session.scalars(select(PollOption))]
    voter_client.submit(f"/t/{thread.id}/vote", {"option": [str(o) for o in options]})
    assert "one choice" in voter_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert voter_client.submit(f"/t/{thread.id}/poll/close").status_code == 403
    author_client.submit(f"/t/{thread.id}/poll/close")
    voter_client.submit(f"/t/{thread.id}/vote", {"option": str(options[0])})
    page = voter_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "This poll is closed." in page and "closed" in page
    assert db.session.scalar(select(func.count()).select_from(PollVote)) == 0


def test_muting_a_thread_or_its_community_takes_it_out_of_whats_new(as_member):
    community = make_community()
    reader_client, reader = as_member()
    _, author = as_member()
    loud = start_thread(author, community, "Loud thread", "Plenty of activity in here.")
    quiet = start_thread(author, community, "Quiet thread", "Something worth reading here.")
    home = reader_client.get("/").get_data(as_text=True)
    assert "Loud thread" in home and "Quiet thread" in home

    reader_client.submit(f"/t/{loud.id}/watch", {"level": "muted"})
    home = reader_client.get("/").get_data(as_text=True)
    assert "Loud thread" not in home and "Quiet thread" in home
    assert watching.watch_level(reader, loud) == WatchLevel.MUTED

    reader_client.submit("/c/strategy/watch", {"level": "muted"})
    reader_client.submit(f"/t/{quiet.id}/watch", {"level": "watching"})  # the thread's own wins
    home = reader_client.get("/").get_data(as_text=True)
    assert "Loud thread" not in home and "Quiet thread" in home
    # Only the thread the reader still follows counts as unread in the muted community.
    assert services.unread_by_community(reader) == {community.id: quiet.highest_post_number}
    assert watching.watch_level(reader, quiet) == WatchLevel.WATCHING


def test_watch_levels_are_checked_and_hidden_threads_answer_404(as_member):
    community = make_community()
    secret = make_community("board-room", tier="council")
    client, member = as_member(tier="strategist")
    _, elder = as_member(tier="council")
    thread = start_thread(elder, community, "Open thread", "Anyone can read this one.")
    hidden = start_thread(elder, secret, "Board-only", "Only council members read this.")

    client.submit(f"/t/{thread.id}/watch", {"level": "loudest"})
    assert "Choose watching, tracking or muted." in client.get(f"/t/{thread.id}").get_data(
        as_text=True
    )
    assert watching.watch_level(member, thread) == WatchLevel.TRACKING
    assert client.submit(f"/t/{hidden.id}/watch", {"level": "watching"}).status_code == 404
    assert client.submit("/c/board-room/watch", {"level": "watching"}).status_code == 404
