"""The thread page's post list comes from a cache (community/forum/post_list.py): every change
shows at once, and no viewer ever gets a list rendered for someone with other powers, another
tier or other reactions."""

from __future__ import annotations

import re

import pytest

from community.core.events import commit
from community.forum import reactions, services
from community.forum.post_list import CACHE
from community.members.models import DirectoryVisibility
from tests.factories.forum import add_posts, make_community, start_thread
from tests.integration.test_query_counts import queries_for


@pytest.fixture(autouse=True)
def empty_cache(app):
    app.extensions[CACHE].clear()
    yield app.extensions[CACHE]


def page_of(client, thread) -> str:
    response = client.get(f"/t/{thread.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_reply_an_edit_a_reaction_and_a_hold_show_at_once(as_member, empty_cache):
    community = make_community("strategy")
    reader_client, _ = as_member()
    _, author = as_member()
    _, fan = as_member(name="Frances Fan")
    thread = start_thread(author, community, "Board metrics", "Which ones survive a CFO?")
    assert "Which ones survive a CFO?" in page_of(reader_client, thread)
    assert "Which ones survive a CFO?" in page_of(reader_client, thread)
    assert empty_cache.hits == 1  # the second visit came from the cache

    reply = services.reply(author, thread.id, "Churn, always churn.")
    assert "Churn, always churn." in page_of(reader_client, thread)

    services.edit_post(author, reply.id, "Net revenue retention, on reflection.")
    page = page_of(reader_client, thread)
    assert "Net revenue retention, on reflection." in page
    assert "Churn, always churn." not in page

    reactions.toggle_reaction(fan, reply.id, "like")
    assert "Like: Frances Fan" in page_of(reader_client, thread)

    services.hold_post(reply, "Hidden by a moderator.")
    commit()
    page = page_of(reader_client, thread)
    assert "Net revenue retention" not in page
    assert "Which ones survive a CFO?" in page


def test_a_member_never_gets_the_list_a_moderator_was_shown(as_member):
    community = make_community("strategy")
    moderator_client, _ = as_member("moderator")
    member_client, _ = as_member()
    _, author = as_member()
    thread = start_thread(author, community, "Board metrics", "Which ones survive a CFO?")
    reply = services.reply(author, thread.id, "A second thought.")
    services.edit_post(author, reply.id, "A second, edited thought.")

    moderator_page = page_of(moderator_client, thread)
    assert f'formaction="/p/{reply.id}/delete"' in moderator_page
    assert f'href="/p/{reply.id}/revisions"' in moderator_page

    member_page = page_of(member_client, thread)  # the same posts, other powers
    assert "A second, edited thought." in member_page
    assert f'formaction="/p/{reply.id}/delete"' not in member_page
    assert f'href="/p/{reply.id}/revisions"' not in member_page


def test_a_lower_tier_reader_never_gets_a_profile_link_made_for_a_higher_tier(as_member):
    community = make_community("strategy")
    council_client, _ = as_member(tier="council")
    strategist_client, _ = as_member(tier="strategist")
    _, author = as_member(tier="council")
    author.directory_visibility = DirectoryVisibility.TIER_AND_ABOVE.value
    commit()
    thread = start_thread(author, community, "Board metrics", "Which ones survive a CFO?")
    profile_link = f'href="/members/{author.id}"'

    assert profile_link in page_of(council_client, thread)
    assert profile_link not in page_of(strategist_client, thread)


def test_each_viewer_sees_their_own_reactions_and_their_own_csrf_token(as_member):
    community = make_community("strategy")
    fan_client, fan = as_member()
    other_client, _ = as_member()
    _, author = as_member()
    thread = start_thread(author, community, "Board metrics", "Which ones survive a CFO?")
    first = services.get_thread_page(author, thread.id).posts.items[0]
    reactions.toggle_reaction(fan, first.id, "like")

    assert 'aria-pressed="true"' in page_of(fan_client, thread)
    other_page = page_of(other_client, thread)
    assert 'aria-pressed="true"' not in other_page
    # The flag form inside the cached list carries this viewer's token (masked for this page).
    flag_form = other_page[other_page.index(f'action="/p/{first.id}/flag"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', flag_form)
    assert token
    response = other_client.post(
        f"/p/{first.id}/flag",
        data={"csrf_token": token.group(1), "reason": "off_topic", "text": ""},
    )
    assert response.status_code == 302


def test_the_cached_thread_page_runs_fewer_queries_than_its_first_rendering(as_member):
    community = make_community("strategy")
    client, _ = as_member()
    _, author = as_member()
    thread = start_thread(author, community, "Board metrics", "Which ones survive a CFO?")
    posts = add_posts(thread, author, 24)
    for post in posts[:3]:  # page 2 quotes posts of page 1: loaded only to render the list
        services._add_post(author, thread, "Quoting an early point.", "", quoted=post)
    commit()
    url = f"/t/{thread.id}?page=2"
    client.get(url)  # the read position exists from here on
    add_posts(thread, author, 1)  # a new post: a new list, rendered once more

    rendered = queries_for(client, url)
    cached = queries_for(client, url)
    assert cached < rendered
