"""Unread counts and "what's new" come from per-member state kept up to date on write: every
change of what a member may see, or wants counted, leaves the numbers they see right."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from community.core.domain_events import PostCreated
from community.core.events import commit
from community.extensions import db
from community.forum import services, thread_moderation, thread_state, tracking, unread
from community.forum.communities import CommunityDraft, update_community
from community.forum.models import Community, Thread, TrackingBuilt
from community.members.models import Member
from community.membership import level_changes
from tests import factories
from tests.conftest import run_queued_work


@pytest.fixture(autouse=True)
def _many_posts(app):
    app.config["POSTS_PER_MINUTE"] = 1000  # several replies by one author, written at once
    app.config["NEW_MEMBER_DAYS"] = 0


def seen(member: Member) -> tuple[dict[str, int], dict[str, int]]:
    """What the member sees: unread per thread on home, unread per community on /c/."""
    member = db.session.get(Member, member.id)
    threads = {thread.title: unread for thread, unread in unread.whats_new(member)}
    slugs = {community.id: community.slug for community in db.session.scalars(select(Community))}
    communities = {slugs[cid]: n for cid, n in unread.unread_by_community(member).items()}
    return threads, communities


def test_new_posts_count_once_and_reading_takes_them_off(as_member):
    community = factories.make_community()
    reader_client, reader = as_member()
    author = factories.make_member()
    thread = factories.start_thread(author, community, "Pricing", "Opening words on pricing.")
    assert seen(reader) == ({"Pricing": 1}, {"strategy": 1})  # built on first need
    replies = [services.reply(author, thread.id, f"Point number {n} on pricing.") for n in range(3)]
    run_queued_work()
    assert seen(reader) == ({"Pricing": 4}, {"strategy": 4})
    tracking.track_new_post(PostCreated(post_id=replies[-1].id))  # a retried task
    assert seen(reader) == ({"Pricing": 4}, {"strategy": 4})

    home = reader_client.get("/").get_data(as_text=True)
    assert "Pricing" in home
    reader_client.get(f"/t/{thread.id}")
    assert seen(reader) == ({}, {})
    assert "Pricing" not in reader_client.get("/").get_data(as_text=True)


def test_reading_the_first_page_leaves_the_rest_unread(as_member):
    community = factories.make_community()
    reader_client, reader = as_member()
    author = factories.make_member()
    thread = factories.start_thread(author, community, "Long one", "Opening words here.")
    factories.add_posts(thread, author, 24)  # 25 posts: a page of 20 and 5 more
    tracking.mark_stale(reader.id)
    commit()
    reader_client.get(f"/t/{thread.id}")
    assert seen(reader) == ({"Long one": 5}, {"strategy": 5})


def test_own_held_and_deleted_posts_do_not_count_until_released(as_member):
    community = factories.make_community()
    _, reader = as_member()
    author, moderator = factories.make_member(), factories.make_member("moderator")
    thread = factories.start_thread(author, community, "Mixed", "Opening words here.")
    held = services.reply(author, thread.id, "A reply that will be held.")
    gone = services.reply(author, thread.id, "A reply that will be deleted.")
    services.reply(reader, thread.id, "The reader's own reply.")
    run_queued_work()
    services.hold_post(db.session.get(type(held), held.id), "Looks like a pitch.")
    commit()
    services.delete_post(moderator, gone.id)
    assert seen(reader) == ({}, {})  # read up to their own reply; the rest is theirs or hidden
    tracking.mark_stale(reader.id)  # a rebuild agrees with the adjustments
    commit()
    assert seen(reader) == ({}, {})

    services.mark_read(reader, thread, 0)  # nothing moves back
    services.release_post(db.session.get(type(held), held.id))
    commit()
    assert seen(reader) == ({}, {})  # released, but the reader had read past it

    late = services.reply(author, thread.id, "A late reply, held at once.")
    services.hold_post(db.session.get(type(late), late.id), "Looks like a pitch.")
    commit()
    run_queued_work()
    assert seen(reader) == ({}, {})
    services.release_post(db.session.get(type(late), late.id))
    commit()
    assert seen(reader) == ({"Mixed": 1}, {"strategy": 1})


def test_deleted_held_and_restored_threads_leave_and_return(as_member):
    community = factories.make_community()
    _, reader = as_member()
    author = factories.make_member()
    thread = factories.start_thread(author, community, "Contested", "Opening words here.")
    other = factories.start_thread(author, community, "Calm", "Opening words here.")
    assert seen(reader) == ({"Contested": 1, "Calm": 1}, {"strategy": 2})

    thread_state.hold_thread(db.session.get(Thread, thread.id), "Flagged.")
    commit()
    assert seen(reader) == ({"Calm": 1}, {"strategy": 1})
    thread_state.release_thread(db.session.get(Thread, thread.id))
    commit()
    assert seen(reader) == ({"Contested": 1, "Calm": 1}, {"strategy": 2})
    thread_state.delete_thread(db.session.get(Thread, other.id))
    commit()
    assert seen(reader) == ({"Contested": 1}, {"strategy": 1})


def test_a_moved_thread_counts_where_it_went_and_only_for_its_new_readers(as_member):
    lounge = factories.make_community("lounge", "strategist")
    board = factories.make_community("board", "council")
    _, reader = as_member(tier="council")
    _, outsider = as_member(tier="strategist")
    moderator, author = factories.make_member("moderator"), factories.make_member()
    thread = factories.start_thread(author, lounge, "Succession", "Opening words here.")
    assert seen(reader) == ({"Succession": 1}, {"lounge": 1})
    assert seen(outsider) == ({"Succession": 1}, {"lounge": 1})

    thread_moderation.move_thread(moderator, thread.id, board.slug)
    assert seen(reader) == ({"Succession": 1}, {"board": 1})
    assert seen(outsider) == ({}, {})


def test_muting_and_unmuting_a_thread_or_community(as_member):
    community = factories.make_community()
    reader_client, reader = as_member()
    author = factories.make_member()
    thread = factories.start_thread(author, community, "Noisy", "Opening words here.")
    factories.start_thread(author, community, "Useful", "Opening words here.")
    assert seen(reader) == ({"Noisy": 1, "Useful": 1}, {"strategy": 2})

    reader_client.submit(f"/t/{thread.id}/watch", {"level": "muted"})
    assert seen(reader) == ({"Useful": 1}, {"strategy": 1})
    services.reply(author, thread.id, "More noise in the muted thread.")
    run_queued_work()
    assert seen(reader) == ({"Useful": 1}, {"strategy": 1})
    reader_client.submit(f"/t/{thread.id}/watch", {"level": "tracking"})
    assert seen(reader) == ({"Noisy": 2, "Useful": 1}, {"strategy": 3})

    reader_client.submit("/c/strategy/watch", {"level": "muted"})
    assert seen(reader) == ({"Noisy": 2}, {"strategy": 2})  # its own level wins
    reader_client.submit("/c/strategy/watch", {"level": "tracking"})
    assert seen(reader) == ({"Noisy": 2, "Useful": 1}, {"strategy": 3})


def test_a_community_raised_to_a_higher_tier_leaves_its_lower_tier_readers(as_member):
    community = factories.make_community()
    _, reader = as_member(tier="strategist")
    owner, author = factories.make_member("owner"), factories.make_member()
    factories.start_thread(author, community, "Quiet plans", "Opening words here.")
    assert seen(reader) == ({"Quiet plans": 1}, {"strategy": 1})

    draft = CommunityDraft("Strategy", "strategy", "", "General", "council")
    update_community(owner, community.id, draft)
    assert seen(reader) == ({}, {})


def test_a_promotion_counts_the_threads_of_the_higher_tier(as_member):
    factories.make_community("board", "council")
    _, reader = as_member(tier="strategist")
    moderator, author = factories.make_member("moderator"), factories.make_member()
    factories.start_thread(author, db.session.scalars(select(Community)).one(), "Board", "Hi.")
    assert seen(reader) == ({}, {})

    change = level_changes.change_level(db.session.get(Member, reader.id), "c_suite")
    level_changes.approve_level_change(moderator, change.id)
    assert seen(reader) == ({"Board": 1}, {"board": 1})


def test_a_new_member_finds_the_recent_threads_unread(as_member):
    community = factories.make_community()
    author = factories.make_member()
    factories.start_thread(author, community, "Welcome thread", "Opening words here.")
    _, newcomer = as_member()
    assert seen(newcomer) == ({"Welcome thread": 1}, {"strategy": 1})


def test_tracking_rebuild_command(app, as_member):
    community = factories.make_community()
    _, reader = as_member()
    author = factories.make_member()
    factories.start_thread(author, community, "Rebuilt", "Opening words here.")
    result = app.test_cli_runner().invoke(args=["tracking", "rebuild", "--member", str(reader.id)])
    assert result.exit_code == 0, result.output
    assert "Rebuilt 1 member." in result.output
    assert db.session.get(TrackingBuilt, reader.id) is not None
    assert seen(reader) == ({"Rebuilt": 1}, {"strategy": 1})
    result = app.test_cli_runner().invoke(args=["tracking", "rebuild", "--member", "999999"])
    assert result.exit_code != 0 and "There is no member 999999." in result.output


def test_a_new_post_is_counted_for_a_few_members_per_transaction(as_member, monkeypatch):
    """On SQLite the write lock is held from a transaction's first write to its commit, and
    the web worker's writes wait for it: a post's fan-out must not hold it for every member."""
    community = factories.make_community()
    author = factories.make_member()
    readers = [as_member()[1] for _ in range(5)]
    thread = factories.start_thread(author, community, "Batches", "Opening words on batches.")
    for reader in readers:
        assert seen(reader) == ({"Batches": 1}, {"strategy": 1})
    post = services.reply(author, thread.id, "A reply every reader counts once.")
    commit()
    monkeypatch.setattr(tracking, "TRACK_BATCH", 2, raising=False)
    commits: list[int] = []
    listener = lambda session: commits.append(1)  # noqa: E731 - a one-line probe
    event.listen(Session, "after_commit", listener)
    try:
        tracking.track_new_post(PostCreated(post_id=post.id))
    finally:
        event.remove(Session, "after_commit", listener)
    assert len(commits) >= 3  # 5 readers, an author, and whoever else: 2 a transaction
    for reader in readers:
        assert seen(reader) == ({"Batches": 2}, {"strategy": 2})
