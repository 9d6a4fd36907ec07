"""The notifications page groups rows by what they are about: one row per thread naming who
acted, an icon per kind, read groups dimmed, a filter by kind, and a group read as a whole."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from community.extensions import db
from community.forum import reactions, thread_moderation
from community.forum import services as forum
from community.members.models import Member
from community.notifications import services
from community.notifications.models import Notification
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_forum import make_community
from tests.integration.test_query_counts import queries_for


@pytest.fixture
def lounge(app):
    app.config["POSTS_PER_MINUTE"] = 1000
    app.config["NEW_MEMBER_DAYS"] = 0
    return make_community("lounge", "strategist", name="Lounge")


def rows_for(person: Member) -> list[Notification]:
    run_queued_work()
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.member_id == person.id)
            .order_by(Notification.id)
        )
    )


def list_items(html: str) -> list[str]:
    return re.findall(r'<li class="notification[^"]*".*?</li>', html, re.S)


def replied_by(thread_id: int, *names: str) -> list[Member]:
    repliers = [factories.make_member(name=name) for name in names]
    for replier in repliers:
        forum.reply(replier, thread_id, f"{replier.name} says hello.")
    run_queued_work()
    return repliers


def test_a_thread_is_one_row_naming_its_newest_actor_and_counting_the_others(lounge, as_member):
    client, author = as_member()
    thread = forum.create_thread(author, lounge, "Budgets", "Where does the money go?")
    replied_by(thread.id, "Grace Hopper", "Alan Turing")
    services.mark_read(author, rows_for(author)[0].id)  # read: the next reply starts a row
    [grace, *_] = db.session.scalars(select(Member).where(Member.name == "Grace Hopper")).all()
    forum.reply(grace, thread.id, "Grace again.")  # the same person twice counts once
    replied_by(thread.id, "Edsger Dijkstra", "Ada Byron")
    assert len(rows_for(author)) == 2

    page = client.get("/notifications").get_data(as_text=True)
    [item] = list_items(page)
    assert f'data-group="thread:{thread.id}"' in item and 'class="notification unread"' in item
    assert "Ada Byron and 3 others replied to “Budgets”" in item
    assert "5 replies" in item
    assert re.search(r'icons\.svg\?v=\w+#reply"', item)
    assert '<span class="visually-hidden">Reply:</span>' in item


def test_two_people_are_both_named_and_mixed_kinds_say_what_happened(lounge, as_member):
    client, author = as_member()
    thread = forum.create_thread(author, lounge, "Offsites", "Worth it?")
    replied_by(thread.id, "Grace Hopper")
    first_post = forum.get_thread_page(author, thread.id).posts.items[0]
    reactions.toggle_reaction(factories.make_member(name="Ada Byron"), first_post.id, "like")
    run_queued_work()

    [item] = list_items(client.get("/notifications").get_data(as_text=True))
    assert "Ada Byron and Grace Hopper were active in “Offsites”" in item
    assert "1 reaction · 1 reply" in item


def test_a_group_is_read_as_a_whole_dimmed_and_the_badge_and_title_follow(lounge, as_member):
    client, author = as_member()
    busy = forum.create_thread(author, lounge, "Busy", "Text.")
    quiet = forum.create_thread(author, lounge, "Quiet", "Text.")
    replied_by(busy.id, "Grace Hopper")
    services.mark_read(author, rows_for(author)[0].id)
    replied_by(busy.id, "Alan Turing", "Ada Byron")
    replied_by(quiet.id, "Edsger Dijkstra")
    page = client.get("/notifications").get_data(as_text=True)
    assert "<title>(3) Notifications · Council</title>" in page  # 2 folded + 1

    response = client.submit(
        "/notifications/group/read", {"group": f"thread:{busy.id}", "page": "1"}
    )
    assert response.status_code == 302
    assert all(row.read_at is not None for row in rows_for(author) if row.thread_id == busy.id)
    page = client.get("/notifications").get_data(as_text=True)
    assert "<title>(1) Notifications · Council</title>" in page
    assert 'id="notification-count" data-count="1"' in page
    quiet_item, busy_item = list_items(page)  # unread groups first
    assert "“Quiet”" in quiet_item and 'class="notification unread"' in quiet_item
    assert 'class="notification read"' in busy_item and "Mark read" not in busy_item

    # Opening a notification reads its whole group, and the badge says so.
    [quiet_row] = [row for row in rows_for(author) if row.thread_id == quiet.id]
    assert client.get(f"/notifications/{quiet_row.id}").status_code == 302
    assert 'data-count="0"' in client.get("/notifications").get_data(as_text=True)


def test_a_reaction_folded_into_an_unread_group_moves_the_title_count(lounge, as_member):
    client, author = as_member()
    thread = forum.create_thread(author, lounge, "Likeable", "Text.")
    post_id = forum.get_thread_page(author, thread.id).posts.items[0].id
    reactions.toggle_reaction(factories.make_member(), post_id, "like")
    assert "<title>(1) Notifications" in client.get("/notifications").get_data(as_text=True)
    reactions.toggle_reaction(factories.make_member(), post_id, "like")
    page = client.get("/notifications").get_data(as_text=True)
    assert "<title>(2) Notifications" in page and "2 reactions" in page


def test_the_list_filters_by_kind_and_ignores_kinds_it_does_not_know(lounge, as_member):
    client, author = as_member()
    replied = forum.create_thread(author, lounge, "Replied to", "Text.")
    liked = forum.create_thread(author, lounge, "Liked", "Text.")
    replied_by(replied.id, "Grace Hopper")
    liked_post = forum.get_thread_page(author, liked.id).posts.items[0]
    reactions.toggle_reaction(factories.make_member(), liked_post.id, "like")

    filtered = client.get("/notifications?kind=reaction").get_data(as_text=True)
    assert "“Liked”" in filtered and "“Replied to”" not in filtered
    assert '<option value="reaction" selected>Reactions</option>' in filtered
    assert "No mentions here" in client.get("/notifications?kind=mention").get_data(as_text=True)
    # Unknown, hostile or moderators-only kinds: the whole list, never an error.
    for kind in ("nonsense", "flag_raised", "x" * 5000, "reply' OR 1=1"):
        response = client.get("/notifications", query_string={"kind": kind})
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "“Liked”" in text and "“Replied to”" in text

    # Marking read under a filter reads only what the filtered row showed.
    client.submit(
        "/notifications/group/read",
        {"group": f"thread:{liked.id}", "kind": "reply", "page": "1"},
    )
    assert [row.read_at is None for row in rows_for(author) if row.thread_id == liked.id] == [True]
    response = client.submit(
        "/notifications/group/read", {"group": "no-such-group", "kind": "reaction"}
    )
    assert response.status_code == 302 and "kind=reaction" in response.headers["Location"]


def test_a_group_only_shows_rows_the_member_may_still_open(lounge, as_member):
    client, author = as_member(tier="executive")
    inner = make_community("inner", "council")
    thread = forum.create_thread(author, lounge, "Soon out of reach", "Text.")
    replied_by(thread.id, "Grace Hopper")
    owner = factories.make_member(role="owner")
    thread_moderation.move_thread(owner, thread.id, inner.slug)

    page = client.get("/notifications").get_data(as_text=True)
    assert "Soon out of reach" not in page and list_items(page) == []
    client.submit("/notifications/group/read", {"group": f"thread:{thread.id}"})
    assert rows_for(author)[0].read_at is None  # left alone: it counts again if access returns


def test_the_page_costs_the_same_queries_however_many_rows_and_actors_its_groups_hold(
    lounge, as_member
):
    client, author = as_member()
    threads = [forum.create_thread(author, lounge, f"Topic {n}", "Text.").id for n in range(3)]
    for thread_id in threads:
        replied_by(thread_id, "First Replier")
    author_id = author.id
    small = queries_for(client, "/notifications")
    small_filtered = queries_for(client, "/notifications?kind=reply")
    author = db.session.get(Member, author_id)  # the page's requests started a new session
    for round_number in range(3):
        for row in rows_for(author):
            if row.read_at is None:
                services.mark_read(author, row.id)  # each round starts new rows in every group
        for thread_id in threads:
            replied_by(thread_id, *(f"Replier {round_number}-{n}" for n in range(3)))
    assert len(rows_for(author)) == 3 * 4
    assert queries_for(client, "/notifications") == small
    assert queries_for(client, "/notifications?kind=reply") == small_filtered
