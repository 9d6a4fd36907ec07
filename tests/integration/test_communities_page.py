"""The communities page: per community its tier, latest thread, week and my unread count,
the library communities apart, nothing out of the member's sight."""

from __future__ import annotations

from datetime import timedelta

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum import services as forum
from community.forum import thread_state
from community.forum.models import CommunityActivity
from tests import factories
from tests.conftest import run_queued_work


def card_of(page: str, name: str) -> str:
    """The markup of one community's card."""
    start = page.index(f">{name}</a>")
    return page[start : page.index("</li>", start)]


def test_each_community_shows_its_tier_latest_thread_week_and_my_unread(as_member):
    author = factories.make_member(name="Ada Author")
    community = factories.make_community("growth", "executive", name="Growth")
    factories.start_thread(author, community, "Older question", "First.")
    latest = factories.start_thread(author, community, "Newest question", "Second.")
    forum.reply(author, latest.id, "And a follow-up.")
    run_queued_work()
    client, _ = as_member()

    card = card_of(client.get("/c/").get_data(as_text=True), "Growth")

    assert "Executive+" in card  # the tier marker
    assert f'href="/t/{latest.id}">Newest question</a>' in card and "Ada Author" in card
    assert "<time" in card  # when, through |when
    assert "This week: 2 new threads, 3 posts" in card
    assert "3 unread" in card


def test_activity_counts_the_last_seven_days_only(as_member):
    community = factories.make_community("quiet", name="Quiet")
    today = utcnow().date()
    for days_ago, posts in ((0, 2), (6, 3), (7, 50)):
        db.session.add(
            CommunityActivity(
                day=today - timedelta(days=days_ago),
                community_id=community.id,
                threads=1,
                posts=posts,
            )
        )
    commit()
    client, _ = as_member()

    card = card_of(client.get("/c/").get_data(as_text=True), "Quiet")

    assert "This week: 2 new threads, 5 posts" in card


def test_library_communities_are_listed_apart_from_the_subject_ones(as_member):
    factories.make_community("strategy", name="Strategy")
    factories.make_resource(factories.make_member("editor"), "A resource worth discussing")
    client, _ = as_member()

    page = client.get("/c/").get_data(as_text=True)

    library = page[page.index('id="library"') :]
    assert "Library · Strategist" in library and "A resource worth discussing" in library
    assert "Strategy" in page[: page.index('id="library"')]


def test_a_latest_thread_out_of_sight_is_never_named(as_member):
    author, council_author = factories.make_member(), factories.make_member(tier_slug="council")
    community = factories.make_community("ops", name="Operations")
    inner = factories.make_community("inner", "council", name="Inner Circle")
    factories.start_thread(author, community, "Still here", "Fine.")
    gone = factories.start_thread(author, community, "Deleted by moderators", "Oops.")
    thread_state.delete_thread(gone)
    commit()
    factories.start_thread(council_author, inner, "Council secret", "Hush.")
    client, _ = as_member(tier="strategist")

    page = client.get("/c/").get_data(as_text=True)

    assert "Operations" in page and "Deleted by moderators" not in page
    assert "Inner Circle" not in page and "Council secret" not in page


def test_the_week_counts_only_posts_readers_can_see(as_member):
    author = factories.make_member(name="Ada Author")
    community = factories.make_community("growth", name="Growth")
    thread = factories.start_thread(author, community, "A question", "First.")
    reply = forum.reply(author, thread.id, "A reply.")
    client, _ = as_member()

    def week() -> str:
        return card_of(client.get("/c/").get_data(as_text=True), "Growth")

    assert "This week: 1 new thread, 2 posts" in week()
    forum.hold_post(reply, "held for review")
    commit()
    assert "This week: 1 new thread, 1 post" in week()
    forum.release_post(reply)
    commit()
    assert "This week: 1 new thread, 2 posts" in week()
    forum.delete_post(author, reply.id)
    assert "This week: 1 new thread, 1 post" in week()
