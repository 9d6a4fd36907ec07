"""What every signed-in page pays for its frame: the header's counts in one query."""

from __future__ import annotations

import re

from community.extensions import db
from community.forum import services as forum
from community.notifications.models import UnreadBadge
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_query_counts import count_queries


def _header(client, url: str = "/settings/profile") -> tuple[int, str, list[str]]:
    """(the notification badge, the message badge's text, the statements the page ran)."""
    db.session.remove()  # start cold, as a new request in production does
    with count_queries() as statements:
        page = client.get(url).get_data(as_text=True)
    notifications = re.search(r'id="notification-count" data-count="(\d+)"', page)
    messages = re.search(r'id="message-count"[^>]*>([^<]*)</span>', page)
    assert notifications and messages
    return int(notifications.group(1)), messages.group(1).strip(), statements


def _reads(statements: list[str], table: str) -> list[str]:
    return [statement for statement in statements if f"FROM {table}" in statement]


def test_the_header_reads_its_notification_and_message_counts_in_one_query(as_member):
    lounge = factories.make_community("lounge", "strategist")
    client, member = as_member(tier="strategist")
    thread = forum.create_thread(member, lounge, "A question", "What do you think?")
    forum.reply(factories.make_member(), thread.id, "A reply.")
    # Started before the worker ran the reply's delivery: both are delivered in one run.
    factories.make_conversation(factories.make_member(), member, body="Hello.")
    run_queued_work()

    unread, conversations, statements = _header(client)

    # The reply's notification and the message's, and one conversation with news.
    assert (unread, conversations) == (2, "1")
    badge_reads = _reads(statements, "unread_badge")
    assert len(badge_reads) == 1
    assert badge_reads == _reads(statements, "conversation_member JOIN conversation")


def test_a_stale_badge_is_still_counted_from_the_rows_in_the_header(as_member):
    lounge = factories.make_community("lounge", "strategist")
    client, member = as_member(tier="strategist")
    thread = forum.create_thread(member, lounge, "A question", "What do you think?")
    forum.reply(factories.make_member(), thread.id, "A reply.")
    run_queued_work()
    db.session.get(UnreadBadge, member.id).unread = None  # stale: the next read counts again
    db.session.commit()

    unread, conversations, _ = _header(client)

    assert (unread, conversations) == (1, "0")


def test_the_frame_links_follow_the_script_root_and_the_static_files_hashes(app, as_member):
    client, _ = as_member()
    plain = client.get("/settings/profile").get_data(as_text=True)
    mounted = client.get(
        "/settings/profile", environ_overrides={"SCRIPT_NAME": "/council"}
    ).get_data(as_text=True)

    digest = app.extensions["assets.hashes"]["css/council.css"]
    assert f'href="/static/css/council.css?v={digest}"' in plain
    assert f'href="/council/static/css/council.css?v={digest}"' in mounted
    assert 'href="/council/c/"' in mounted and 'href="/c/"' in plain
    assert 'href="/council/c/"' not in plain
