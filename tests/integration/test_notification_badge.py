"""The unread badge is kept on write, and still never counts what its member cannot open.

Each visibility change below happens through the service a moderator, owner or member uses;
afterwards the header badge and ``/notifications/since`` agree with the list: nothing counted
that the member could no longer open, and a change back counts it again.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.forum import chapter_leads, communities, watching
from community.forum import services as forum
from community.membership import level_changes
from community.membership.models import LevelChangeRequest
from community.messages import conversations
from community.moderation import flags
from community.notifications import badge, services
from community.notifications.models import Notification
from community.notifications.services import NOTIFY_BATCH, Draft, notify
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_query_counts import count_queries


def shown(client) -> tuple[int, int]:
    """(the header badge, the count ``/notifications/since`` gives): always the same number."""
    match = re.search(r'id="notification-count" data-count="(\d+)"', client.get("/c/").text)
    assert match
    since = client.get("/notifications/since?since=2000-01-01T00:00:00%2B00:00").get_json()
    return int(match.group(1)), since["unread_count"]


def replied_to(author, community, title: str = "A question"):
    """A thread by ``author`` with one reply from a peer: the author's badge says 1."""
    thread = forum.create_thread(author, community, title, "What do you think?")
    forum.reply(factories.make_member(), thread.id, "A reply.")
    run_queued_work()
    return thread


def test_a_deleted_thread_stops_counting(app, as_member):
    lounge = factories.make_community("lounge", "strategist")
    client, author = as_member(tier="strategist")
    thread = replied_to(author, lounge)
    assert shown(client) == (1, 1)

    flags.decide_thread(factories.make_member(role="moderator"), thread.id, "delete")

    assert shown(client) == (0, 0)


def test_a_hidden_thread_stops_counting_for_its_watchers_and_counts_again_when_released(
    app, as_member
):
    lounge = factories.make_community("lounge", "strategist")
    client, watcher = as_member(tier="strategist")
    thread = forum.create_thread(factories.make_member(), lounge, "Watched", "Text.")
    watching.set_thread_watch(watcher, thread.id, "watching")
    forum.reply(factories.make_member(), thread.id, "News.")
    run_queued_work()
    assert shown(client) == (1, 1)
    moderator = factories.make_member(role="moderator")

    flags.decide_thread(moderator, thread.id, "hide", "Off topic.")
    assert shown(client) == (0, 0)

    flags.decide_thread(moderator, thread.id, "dismiss")
    assert shown(client) == (1, 1)


def test_a_removed_post_stops_counting_its_mention(app, as_member):
    lounge = factories.make_community("lounge", "strategist")
    client, mentioned = as_member(tier="strategist")
    thread = forum.create_thread(factories.make_member(), lounge, "Talk", "Text.")
    post = forum.reply(factories.make_member(), thread.id, f"Over to @{mentioned.handle}.")
    run_queued_work()
    assert shown(client) == (1, 1)

    flags.decide(factories.make_member(role="moderator"), post.id, "delete")

    assert shown(client) == (0, 0)


def test_an_archived_community_stops_counting(app, as_member):
    lounge = factories.make_community("lounge", "strategist")
    client, author = as_member(tier="strategist")
    replied_to(author, lounge)
    owner = factories.make_member(role="owner")

    communities.set_archived(owner, lounge.id, True)
    assert shown(client) == (0, 0)

    communities.set_archived(owner, lounge.id, False)
    assert shown(client) == (1, 1)


def test_a_lower_tier_stops_counting_what_the_old_tier_opened(app, as_member):
    boardroom = factories.make_community("boardroom", "executive")
    client, author = as_member(tier="executive")  # a vp
    replied_to(author, boardroom)
    assert shown(client) == (1, 1)

    level_changes.change_level(author, "director")  # the strategist tier
    change = db.session.scalars(select(LevelChangeRequest)).one()
    level_changes.approve_level_change(factories.make_member(role="moderator"), change.id)

    assert shown(client) == (0, 0)


def test_a_removed_chapter_lead_stops_counting_flags_on_what_only_moderators_open(app, as_member):
    chapter = factories.make_community("berlin", "strategist", is_chapter=True)
    client, lead = as_member(tier="strategist")
    owner = factories.make_member(role="owner")
    chapter_leads.appoint_lead(owner, chapter.id, lead.handle)
    thread = forum.create_thread(factories.make_member(), chapter, "Flagged", "Text.")
    flags.decide_thread(owner, thread.id, "hide", "Hidden while reviewed.")
    notify([lead.id], Draft(kind="flag_raised", text="Flagged", url="/", thread=thread))
    assert shown(client) == (1, 1)  # a lead opens the hidden thread

    chapter_leads.remove_lead(owner, chapter.id, lead.id)

    assert shown(client) == (0, 0)


def test_leaving_a_conversation_stops_counting_its_messages(app, as_member):
    client, member = as_member()
    conversation = factories.make_conversation(factories.make_member(), member)
    run_queued_work()
    assert shown(client) == (1, 1)

    conversations.leave(member, conversation.id)

    assert shown(client) == (0, 0)


def test_reading_takes_a_folded_row_off_whole_and_read_all_clears(app, as_member):
    lounge = factories.make_community("lounge", "strategist")
    client, author = as_member(tier="strategist")
    thread = replied_to(author, lounge)
    forum.reply(factories.make_member(), thread.id, "Another reply.")
    run_queued_work()
    other = replied_to(author, lounge, "Another question")
    assert shown(client) == (3, 3)  # "2 new replies" and one reply

    [folded] = [row for row in _unread(author) if row.thread_id == thread.id]
    services.mark_read(author, folded.id)
    assert shown(client) == (1, 1)

    services.mark_all_read(author)
    assert shown(client) == (0, 0)
    forum.reply(factories.make_member(), other.id, "Late news.")
    run_queued_work()
    assert shown(client) == (1, 1)


def _unread(member) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.member_id == member.id, Notification.read_at.is_(None)
            )
        )
    )


def test_a_delivery_costs_the_same_statements_for_2_recipients_or_a_full_batch(app):
    """Set-based fan-out: a batch is a fixed set of statements, however many it tells."""
    lounge = factories.make_community("lounge", "strategist")
    thread = forum.create_thread(factories.make_member(), lounge, "Busy", "Text.")
    few = [factories.make_member().id for _ in range(2)]
    many = [factories.make_member().id for _ in range(NOTIFY_BATCH)]
    for told in (few, many):  # every badge counted once, as in a running council
        notify(told, Draft(kind="watching", text="Warm-up", url="/", thread=thread))
    commit()

    def statements(recipients: list[int]) -> int:
        draft = Draft(kind="watching", text="News", url="/", thread=thread, group_key="g")
        with count_queries() as executed:
            notify(recipients, draft)
        return len(executed)

    assert statements(many) == statements(few)


def test_the_worker_counts_stale_badges_again_so_pages_read_the_kept_number(app, as_member):
    lounge = factories.make_community("lounge", "strategist")
    client, author = as_member(tier="strategist")
    gone = replied_to(author, lounge)
    replied_to(author, lounge, "Still here")
    flags.decide_thread(factories.make_member(role="moderator"), gone.id, "delete")

    run_queued_work()  # what the job runner does seconds later

    with count_queries() as executed:
        assert badge.unread_count(author) == 1
    read = [s for s in executed if "notification" in s or "unread_badge" in s]
    assert read and all("FROM unread_badge" in s for s in read)
    assert shown(client) == (1, 1)
