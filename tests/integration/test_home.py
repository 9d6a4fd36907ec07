"""A member's home: what needs them, what's new, what's next, each section shown only with
what the member may see, with an empty state of its own, and at a constant query count."""

from __future__ import annotations

from datetime import timedelta

from community.core.clock import utcnow
from community.core.events import commit
from community.events import rsvps
from community.extensions import db
from community.forum import services as forum
from community.forum.models import Community
from community.forum.thread_moderation import assign_thread
from community.library import services as library
from community.members.models import Member
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_query_counts import count_queries, queries_for


def established(member):
    """A member who joined long ago: no first-run welcome."""
    member.created_at = utcnow() - timedelta(days=90)
    commit()
    return member


def test_unread_subject_threads_are_listed_and_library_discussions_are_one_line(as_member):
    editor = factories.make_member("editor")
    author = factories.make_member()
    community = factories.make_community()
    factories.start_thread(author, community, "Pricing the board deck", "What do you show?")
    for n in range(3):
        resource = factories.make_resource(editor, f"Library piece {n}")
        forum.reply(author, resource.thread_id, f"A thought on piece {n}.")
    run_queued_work()
    client, _ = as_member()

    page = client.get("/").get_data(as_text=True)

    assert "Pricing the board deck" in page
    assert "3 library discussions with new replies" in page
    assert "Library piece" not in page  # grouped, not listed one by one


def test_home_never_shows_what_the_members_tier_does_not_reach(as_member):
    editor, author = factories.make_member("editor"), factories.make_member()
    open_room = factories.make_community("open-room", "strategist")
    council_room = factories.make_community("council-room", "council")
    factories.start_thread(author, open_room, "Open question on budgets", "Anyone?")
    factories.start_thread(author, council_room, "Board succession in confidence", "Quietly.")
    factories.make_resource(editor, "Measuring reach", topics="Measurement")
    factories.make_resource(
        editor, "Council-only benchmark", topics="Measurement", tier_slug="council"
    )
    factories.make_event(title="Council dinner", min_tier="council")
    run_queued_work()
    client, me = as_member(tier="strategist")
    library.set_following(me, "measurement", True)

    page = client.get("/").get_data(as_text=True)

    assert "Open question on budgets" in page and "Measuring reach" in page
    for hidden in ("Board succession", "Council-only benchmark", "Council dinner", "council-room"):
        assert hidden not in page


def test_threads_assigned_to_me_and_mentions_of_me_need_my_response(as_member):
    moderator, author = factories.make_member("moderator"), factories.make_member()
    community = factories.make_community()
    client, me = as_member()
    waiting = factories.start_thread(author, community, "Who owns the crisis playbook?", "Help.")
    assign_thread(moderator, waiting.id, me.handle)
    other = factories.start_thread(author, community, "Agency retainers", "Thoughts?")
    forum.reply(author, other.id, f"@{me.handle} you ran this at your last company, right?")
    run_queued_work()

    page = client.get("/").get_data(as_text=True)
    section = page[page.index('id="needs-me"') : page.index('id="new-threads"')]

    assert "Who owns the crisis playbook?" in section and "Assigned to you" in section
    assert "Agency retainers" in section and "Mention" in section
    assert "Nothing waits for you" not in section


def test_upcoming_events_i_am_going_to_and_not_the_others(as_member):
    client, me = as_member()
    going = factories.make_event(title="Roundtable on trust")
    factories.make_event(title="Summit I skipped")
    past = factories.make_event(title="Last month's dinner")
    rsvps.respond(me, going.id, "going")
    rsvps.respond(me, past.id, "going")
    past.starts_at, past.ends_at = utcnow() - timedelta(days=30), utcnow() - timedelta(days=30)
    commit()

    page = client.get("/").get_data(as_text=True)
    section = page[page.index('id="my-events"') : page.index('id="my-topics"')]

    assert "Roundtable on trust" in section
    assert "Summit I skipped" not in section and "Last month" not in section


def test_moderators_see_their_queues_with_counts_and_members_do_not(as_member):
    author = factories.make_member()
    community = factories.make_community()
    factories.make_request()
    thread = factories.start_thread(author, community, "Fine thread", "Fine words.")
    (held,) = factories.add_posts(thread, author, 1)
    forum.hold_post(held, "Looks like a pitch.")
    commit()
    moderator_client, _ = as_member("moderator")
    member_client, _ = as_member()

    page = moderator_client.get("/").get_data(as_text=True)
    section = page[page.index('id="queues"') :]

    assert 'href="/moderation/requests"' in section and "1 waiting" in section
    assert 'href="/moderation/flags"' in section and "1 to review" in section
    assert "1 held" in section
    assert 'id="queues"' not in member_client.get("/").get_data(as_text=True)


def test_an_established_member_with_nothing_new_sees_each_sections_empty_state(as_member):
    client, me = as_member()
    established(me)

    page = client.get("/").get_data(as_text=True)

    assert "Getting started" not in page
    assert "Nothing waits for you" in page
    assert "You are all caught up" in page
    assert "You are not going to any upcoming event" in page
    assert "Nothing new in the topics you follow" in page


def test_a_brand_new_member_is_shown_how_to_start(as_member):
    client, _ = as_member()

    page = client.get("/").get_data(as_text=True)

    assert "Getting started" in page
    assert 'href="/welcome"' in page and 'href="/library"' in page


def test_home_query_count_does_not_grow_with_what_each_section_holds(app, as_member):
    app.config["NEW_MEMBER_DAYS"] = 0  # one author writes many threads and replies at once
    app.config["POSTS_PER_MINUTE"] = 1000
    ids = {
        "editor": factories.make_member("editor").id,
        "author": factories.make_member().id,
        "moderator": factories.make_member("moderator").id,
        "community": factories.make_community().id,
    }
    client, me = as_member("moderator")
    ids["me"] = established(me).id

    def add_one_of_each(n: int) -> None:
        editor, author, moderator, me = (
            db.session.get(Member, ids[key]) for key in ("editor", "author", "moderator", "me")
        )
        community = db.session.get(Community, ids["community"])
        thread = factories.start_thread(author, community, f"Assigned {n}", "Please answer.")
        assign_thread(moderator, thread.id, me.handle)
        forum.reply(author, thread.id, f"@{me.handle} over to you ({n}).")
        factories.make_resource(editor, f"Piece {n}", topics="Measurement")
        rsvps.respond(me, factories.make_event(title=f"Event {n}").id, "going")
        factories.make_request()
        run_queued_work()

    add_one_of_each(0)
    library.set_following(db.session.get(Member, ids["me"]), "measurement", True)
    client.get("/")  # builds the member's unread state and badge once, as any first visit
    small = queries_for(client, "/")
    for n in range(1, 5):
        add_one_of_each(n)
    page = client.get("/").get_data(as_text=True)
    assert "Assigned 4" in page and "Piece 4" in page and "Event 1" in page
    assert queries_for(client, "/") == small


def test_home_asks_once_whether_the_members_unread_state_is_built(as_member):
    """ "What's new" and the library's news both need the member's unread state: one page
    reads its built marker once, not once per section."""
    client, _ = as_member()
    client.get("/")  # the first visit builds the state
    db.session.remove()  # cold, as a new request is
    with count_queries() as statements:
        assert client.get("/").status_code == 200
    assert sum("FROM tracking_built" in statement for statement in statements) == 1, statements
