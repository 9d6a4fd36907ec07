"""Daily and weekly digests: personal, skipped when empty, sent once per period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from community import access
from community.forum import services as forum
from community.forum import watching
from community.notifications import digest, groups, services
from community.notifications.kinds import Channel
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_forum import make_community

MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def lounge(app):
    return make_community("lounge", "strategist", name="Lounge")


def digests_to(outbox, person):
    return [m for m in outbox.to(person.email) if "digest" in m["Subject"]]


def test_period_keys_name_the_day_and_the_iso_week():
    assert digest.period_key(Channel.DAILY, MONDAY_NOON) == "2026-11-23"
    assert digest.period_key(Channel.WEEKLY, MONDAY_NOON) == "2026-W48"
    assert digest.period_key(Channel.WEEKLY, datetime(2027, 1, 1, tzinfo=UTC)) == "2026-W53"
    with pytest.raises(ValueError, match="daily or weekly"):
        digest.check_period("hourly")


def test_a_daily_digest_gathers_watched_posts_and_is_sent_once(app, lounge, outbox):
    reader, author = factories.make_member(), factories.make_member()
    thread = forum.create_thread(author, lounge, "Board evaluations", "Annual or biennial?")
    watching.set_thread_watch(reader, thread.id, "watching")  # "watching" is daily by default
    forum.reply(author, thread.id, "Annual, with an outside facilitator.")
    run_queued_work()
    now = access.get_visible_thread(reader, thread.id).last_posted_at + timedelta(hours=1)

    assert digest.send_digest(reader, Channel.DAILY, now) == digest.Outcome.SENT
    [message] = digests_to(outbox, reader)
    text = outbox.text(message)
    assert f"@{author.handle} posted in “Board evaluations”" in text
    assert "/notifications/" in text

    assert digest.send_digest(reader, Channel.DAILY, now) == digest.Outcome.ALREADY_SENT
    assert len(digests_to(outbox, reader)) == 1
    # Not in the weekly one: the member chose daily for this kind.
    services.save_settings(reader, {"community_digest": "off"})
    assert digest.send_digest(reader, Channel.WEEKLY, now) == digest.Outcome.EMPTY


def test_the_weekly_digest_lists_new_threads_the_member_can_see(app, lounge, outbox):
    reader = factories.make_member("member", "strategist")
    author = factories.make_member()
    boardroom = make_community("boardroom", "council", name="Boardroom")
    muted = make_community("muted-room", "strategist", name="Muted room")
    watching.set_community_watch(reader, muted, "muted")
    first = forum.create_thread(author, lounge, "Open to all", "Text.")
    forum.create_thread(author, boardroom, "Council only", "Text.")
    forum.create_thread(author, muted, "In a muted room", "Text.")
    forum.create_thread(reader, lounge, "My own thread", "Text.")
    now = first.created_at + timedelta(days=1)

    assert digest.send_digest(reader, Channel.WEEKLY, now) == digest.Outcome.SENT
    text = outbox.text(digests_to(outbox, reader)[0])
    assert "Open to all" in text
    assert "Council only" not in text  # above the reader's tier
    assert "In a muted room" not in text and "My own thread" not in text


def test_old_and_read_items_are_left_out_and_an_empty_digest_is_skipped(app, lounge, outbox):
    reader, author = factories.make_member(), factories.make_member()
    services.save_settings(reader, {"community_digest": "off", "reply": "daily"})
    thread = forum.create_thread(reader, lounge, "Old news", "Text.")
    forum.reply(author, thread.id, "A reply.")
    run_queued_work()
    posted = access.get_visible_thread(reader, thread.id).last_posted_at
    assert digest.send_digest(reader, Channel.DAILY, posted + timedelta(days=2)) == (
        digest.Outcome.EMPTY
    )
    [group] = groups.list_groups(reader).items
    services.mark_read(reader, group.newest.id)
    assert digest.send_digest(reader, Channel.DAILY, posted + timedelta(hours=1)) == (
        digest.Outcome.EMPTY
    )
    assert digests_to(outbox, reader) == []


def test_the_command_reports_its_outcomes_and_is_safe_to_run_twice(app, lounge, outbox):
    reader, author = factories.make_member(), factories.make_member()
    factories.make_member(status="suspended")
    thread = forum.create_thread(author, lounge, "Digest me", "Text.")
    watching.set_thread_watch(reader, thread.id, "watching")
    forum.reply(author, thread.id, "New.")
    runner = app.test_cli_runner()

    first = runner.invoke(args=["digest", "send", "--period", "daily"])
    assert first.exit_code == 0, first.output
    assert "1 sent, 1 nothing new, 0 already sent" in first.output
    second = runner.invoke(args=["digest", "send", "--period", "daily"])
    assert "0 sent, 1 nothing new, 1 already sent" in second.output
    assert len(digests_to(outbox, reader)) == 1
    bad = runner.invoke(args=["digest", "send", "--period", "hourly"])
    assert bad.exit_code == 2 and "hourly" in bad.output
