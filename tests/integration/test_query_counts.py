"""Pages run a constant number of SQL queries however much data there is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from community.extensions import db
from community.forum import reactions
from tests import factories


@contextmanager
def count_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def queries_for(client, url: str) -> int:
    db.session.remove()  # start cold, as a new request in production does
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_review_queue_query_count_does_not_grow_with_requests(as_member):
    client, _ = as_member("moderator")
    factories.make_request(referrer=factories.make_member())
    factories.make_request()
    small = queries_for(client, "/moderation/requests")
    for n in range(60):
        referrer = factories.make_member() if n % 2 else None  # one nomination each, or none
        factories.make_request(referrer=referrer, level="manager" if n % 3 else "vp")
    assert queries_for(client, "/moderation/requests") == small


def test_member_list_query_count_does_not_grow_with_members(as_member):
    client, _ = as_member("moderator")
    small = queries_for(client, "/moderation/members")
    for n in range(60):
        factories.make_member(tier_slug=["council", "executive", "strategist"][n % 3])
    assert queries_for(client, "/moderation/members") == small


def test_audit_log_query_count_does_not_grow_with_entries(as_member):
    from community.core.audit import record_audit
    from community.core.events import commit

    client, _ = as_member("owner")
    small = queries_for(client, "/admin/audit")
    for n in range(80):
        actor = factories.make_member() if n % 10 == 0 else None
        record_audit(actor, "member.suspended", "member", n, target_label=f"Member {n}")
    commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Page 1 of 2" in page
    assert queries_for(client, "/admin/audit") == small


def _seed_forum(community_id: int, members: list, threads: int, posts_per_thread: int) -> None:
    """Bulk insert threads of posts with reactions, keeping the counters the lists show."""
    from datetime import timedelta

    from sqlalchemy import func, insert, select, update

    from community.core.clock import utcnow
    from community.core.events import commit
    from community.forum.markdown import render_markdown
    from community.forum.models import Community, Post, Reaction, Thread

    now = utcnow()
    html = render_markdown("A **considered** answer, with @nobody and a [link](https://hbr.org).")
    first_id = (db.session.scalar(select(func.max(Thread.id))) or 0) + 1
    db.session.execute(
        insert(Thread),
        [
            {
                "community_id": community_id,
                "author_id": members[n % len(members)].id,
                "title": f"Seeded thread {n}",
                "highest_post_number": posts_per_thread,
                "post_count": posts_per_thread,
                "last_posted_at": now - timedelta(minutes=n),
                "last_poster_id": members[(n + 1) % len(members)].id,
                "pinned": n % 17 == 0,
            }
            for n in range(threads)
        ],
    )
    thread_ids = range(first_id, first_id + threads)
    first_post = (db.session.scalar(select(func.max(Post.id))) or 0) + 1
    db.session.execute(
        insert(Post),
        [
            {
                "thread_id": thread_id,
                "number": number,
                "author_id": members[number % len(members)].id,
                "body": "A **considered** answer.",
                "body_html": html,
                "created_at": now,
            }
            for thread_id in thread_ids
            for number in range(1, posts_per_thread + 1)
        ],
    )
    post_ids = range(first_post, first_post + threads * posts_per_thread)
    db.session.execute(
        insert(Reaction),
        [
            {"post_id": post_id, "member_id": member.id, "kind": kind}
            for post_id in post_ids
            for member, kind in zip(members[:2], ["like", "insightful"], strict=True)
        ],
    )
    db.session.execute(
        update(Community)
        .where(Community.id == community_id)
        .values(
            thread_count=Community.thread_count + threads,
            post_count=Community.post_count + threads * posts_per_thread,
            last_posted_at=now,
        )
    )
    commit()


def test_forum_pages_query_counts_do_not_grow_with_threads_posts_and_reactions(as_member):
    from community.core.events import commit
    from community.forum import services
    from community.forum.models import Community, Post, Thread
    from community.members.models import Member

    client, viewer = as_member("moderator")  # moderators see deleted and held posts too
    members = [factories.make_member() for _ in range(3)]
    lead = factories.make_member()
    community = Community(
        slug="strategy", name="Strategy", category="General", min_tier=factories.tier("strategist")
    )
    community.leads.append(lead)
    db.session.add(community)
    db.session.add(
        Community(slug="other", name="Other", category="More", min_tier=factories.tier("council"))
    )
    commit()
    thread = services.create_thread(members[0], community, "First thread", "Opening words here.")
    reply = services.reply(members[1], thread.id, "A reply with a different point.")
    reactions.toggle_reaction(members[0], reply.id, "like")
    reactions.toggle_reaction(viewer, reply.id, "insightful")
    urls = ["/c/", "/c/strategy", "/", f"/t/{thread.id}"]  # the home page while unread
    client.get(f"/t/{thread.id}")  # a read position exists from here on, with one unread post
    services.reply(members[2], thread.id, "Another angle entirely.", quoted_post_id=reply.id)
    client.get("/c/")  # the first page that needs them builds the viewer's unread counts, once
    ids = (community.id, thread.id, reply.id, viewer.id, [member.id for member in members])
    small = {url: queries_for(client, url) for url in urls}

    # queries_for ends the session: load what the seeding needs again.
    community_id, thread_id, reply_id, viewer_id, member_ids = ids
    members = [db.session.get(Member, member_id) for member_id in member_ids]
    viewer = db.session.get(Member, viewer_id)
    thread = db.session.get(Thread, thread_id)
    reply = db.session.get(Post, reply_id)
    _seed_forum(community_id, members, threads=50, posts_per_thread=40)
    for n in range(45):  # the measured thread grows to pages of posts with quotes and reactions
        post = services._add_post(members[n % 3], thread, f"Point {n}", "", quoted=reply)
        reactions.toggle_reaction(viewer, post.id, "like")
    services.delete_post(viewer, post.id)
    large = {url: queries_for(client, url) for url in urls}
    assert large == small


def test_notification_list_query_count_does_not_grow_with_notifications(app, as_member):
    app.config["POSTS_PER_MINUTE"] = 1000  # many posts by one member, written at once
    from community.forum import services as forum
    from community.forum.models import Community
    from community.members.models import Member
    from tests.integration.test_forum import make_community

    app.config["NEW_MEMBER_DAYS"] = 0  # no first-day thread limit for this author
    client, reader = as_member()
    ids = {
        "reader": reader.id,
        "replier": factories.make_member().id,
        "rooms": [make_community("lounge", "strategist").id, make_community("board", "council").id],
    }

    def notify_reader(count: int) -> None:
        author = db.session.get(Member, ids["reader"])
        replier = db.session.get(Member, ids["replier"])
        for n in range(count):
            # Rows spread over threads and communities, so a per-row lookup would show.
            room = db.session.get(Community, ids["rooms"][n % 2])
            thread = forum.create_thread(author, room, f"Thread {n}", f"Opening words {n}.")
            forum.reply(replier, thread.id, f"A reply of its own, number {n}.")

    notify_reader(2)
    small = queries_for(client, "/notifications")
    notify_reader(28)
    assert queries_for(client, "/notifications") == small


def test_flag_queue_query_count_does_not_grow_with_flagged_posts_and_threads(app, as_member):
    app.config["POSTS_PER_MINUTE"] = 1000  # many posts by one member, written at once
    from community.core.events import commit
    from community.forum import services
    from community.forum.models import Community
    from community.members.models import Member
    from community.moderation import flags

    app.config["NEW_MEMBER_DAYS"] = 0  # no first-day thread limit for the author
    client, _ = as_member("moderator")
    author, flagger = factories.make_member(), factories.make_member()
    community = Community(
        slug="strategy", name="Strategy", category="General", min_tier=factories.tier("strategist")
    )
    db.session.add(community)
    commit()
    ids = (community.id, author.id, flagger.id)

    def flag_some(n: int) -> None:
        # queries_for ends the session: load the rows again each time.
        community, author, flagger = (
            db.session.get(model, id_)
            for model, id_ in zip((Community, Member, Member), ids, strict=True)
        )
        for i in range(n):
            thread = services.create_thread(author, community, f"Thread {n}-{i}", f"Body {n} {i}.")
            post = services.reply(author, thread.id, f"Reply {n} {i} worth a flag.")
            flags.flag_thread(flagger, thread.id, "spam")
            flags.flag_post(flagger, post.id, "off_topic")

    flag_some(1)
    small = queries_for(client, "/moderation/flags")
    flag_some(12)
    page = client.get("/moderation/flags").get_data(as_text=True)
    assert "26 waiting" in page and "Page 1 of 2" in page
    assert queries_for(client, "/moderation/flags") == small


def test_library_list_query_count_does_not_grow_with_resources(as_member):
    from community.members.models import Member
    from community.metrics.services import record_now

    client, member = as_member(tier="executive")
    member_id = member.id
    owner_id = factories.make_member("owner").id
    author_ids = [factories.make_member().id for _ in range(3)]

    def add(n: int) -> None:
        # queries_for empties the session: load the members again for each resource.
        owner, reader = db.session.get(Member, owner_id), db.session.get(Member, member_id)
        resource = factories.make_resource(
            owner,
            f"Resource {n}",
            tier_slug=["strategist", "executive", "council"][n % 3],
            kind=["article", "research", "how_to"][n % 3],
            topics=f"Topic {n % 4}, Topic {n % 5}",
        )
        resource.authors = [db.session.get(Member, i) for i in author_ids[: n % 3 + 1]]
        record_now(reader, "view", "resource", resource.id, once_per_day=True)

    add(0)
    small = {url: queries_for(client, url) for url in ("/library", "/library?sort=popular")}
    for n in range(1, 45):
        add(n)
    assert "Page 1 of 2" in client.get("/library").get_data(as_text=True)
    for url, count in small.items():
        assert queries_for(client, url) == count, url


def test_member_directory_query_count_does_not_grow_with_members(as_member):
    from tests.factories import set_profile

    client, _ = as_member(tier="executive")
    set_profile(factories.make_member(), interests=("ai",), region="Nordics")
    small = queries_for(client, "/members")
    for n in range(70):
        member = factories.make_member(tier_slug=["council", "executive", "strategist"][n % 3])
        set_profile(
            member,
            interests=("ai", f"topic {n % 5}"),
            region=f"Region {n % 7}",
            directory_visibility=["all", "tier", "hidden"][n % 3],
        )
    for url in ("/members", "/members?sort=active&interest=ai", "/members?page=2&sort=newest"):
        assert queries_for(client, url) == small, url
