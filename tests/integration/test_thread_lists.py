"""A community's thread list: what each row says, the sorts and filters in the address (kept
in the pager's links, a bad value giving the default), and a query count that does not grow
with the threads."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.forum import services, thread_list
from community.forum.models import Community
from tests.conftest import run_queued_work
from tests.factories import make_member
from tests.factories.forum import make_community, seed_thread
from tests.factories.library import make_resource
from tests.integration.test_query_counts import queries_for


def listed(page: str) -> list[str]:
    """The thread titles in the list, top to bottom."""
    return re.findall(r"Topic [A-Z]\b", page)


def participants(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"(\d+) participants?\s*</span>", page)]


def test_each_row_says_replies_participants_and_who_posted_last(as_member):
    community = make_community("strategy")
    client, _ = as_member()
    ada, bo, cy, di = (make_member(name=n) for n in ("Ada Ames", "Bo Berg", "Cy Cole", "Di Dunn"))
    thread = seed_thread(community, ada, "Topic A", bo, cy, di, bo)

    page = client.get("/c/strategy").get_data(as_text=True)
    assert "4 replies" in page
    assert participants(page) == [4]  # Ada, Bo, Cy and Di: Bo's two replies count him once
    assert "Bo Berg, " in page  # who posted last
    assert "New" in page and f'href="/t/{thread.id}"' in page  # never opened: from the top

    client.get(f"/t/{thread.id}")  # read all of it
    services.reply(di, thread.id, "One more point from Di, after you read.")
    run_queued_work()
    page = client.get("/c/strategy").get_data(as_text=True)
    assert "1 unread" in page and "Di Dunn, " in page and "5 replies" in page
    # Opened before: the row opens where the reader left off, not at the top.
    assert f'href="/t/{thread.id}/unread"' in page


def test_a_held_post_does_not_name_its_author_as_a_participant(as_member):
    community = make_community("strategy")
    client, _ = as_member()
    ada, pitcher = make_member(name="Ada Ames"), make_member(name="Pat Pitch")
    thread = seed_thread(community, ada, "Topic A", pitcher)
    reply = services.get_thread_page(ada, thread.id).posts.items[-1]
    services.hold_post(reply, "Looks like a pitch.")
    commit()

    page = client.get("/c/strategy").get_data(as_text=True)
    assert participants(page) == [1] and "Pat Pitch" not in page
    services.release_post(reply)
    commit()
    page = client.get("/c/strategy").get_data(as_text=True)
    assert participants(page) == [2] and "Pat Pitch" in page


def seed_four(reader) -> None:
    """A: oldest, 3 replies; B: no reply, by the reader; C: 1 reply by the reader; D: newest,
    no reply. Activity: C (the reader's reply) is the latest, then D, B, A."""
    community = make_community("strategy")
    ada, bo = make_member(), make_member()
    seed_thread(community, ada, "Topic A", bo, bo, bo)
    seed_thread(community, reader, "Topic B")
    c = seed_thread(community, ada, "Topic C")
    seed_thread(community, bo, "Topic D")
    services._add_post(reader, c, "The reader joins Topic C.", "")
    commit()


def test_sorts(as_member):
    client, reader = as_member()
    seed_four(reader)
    expected = {
        "": ["C", "D", "B", "A"],  # latest activity
        "?sort=activity": ["C", "D", "B", "A"],
        "?sort=newest": ["D", "C", "B", "A"],
        "?sort=replies": ["A", "C", "D", "B"],
        "?sort=unanswered": ["D", "B", "C", "A"],  # unanswered first, then latest activity
        "?sort=bogus": ["C", "D", "B", "A"],  # an unknown sort: the default, not an error
        "?sort=": ["C", "D", "B", "A"],
    }
    for query, order in expected.items():
        response = client.get("/c/strategy" + query)
        assert response.status_code == 200, query
        assert listed(response.get_data(as_text=True)) == [f"Topic {t}" for t in order], query


def test_filters(as_member):
    client, reader = as_member()
    seed_four(reader)
    page = client.get("/c/strategy").get_data(as_text=True)
    a_id = re.search(r'href="/t/(\d+)">\s*Topic A', page).group(1)
    client.get(f"/t/{a_id}")  # Topic A read
    expected = {
        "?show=unanswered": ["D", "B"],
        "?show=mine": ["C", "B"],  # started one, replied in another
        "?show=unread": ["C", "D"],  # B is the reader's own; A is read; C has Ada's post
        "?show=nonsense": ["C", "D", "B", "A"],
        "?show=mine&sort=newest": ["C", "B"],
    }
    for query, order in expected.items():
        response = client.get("/c/strategy" + query)
        assert response.status_code == 200, query
        assert listed(response.get_data(as_text=True)) == [f"Topic {t}" for t in order], query


def test_pager_links_keep_the_sort_and_filter_but_not_bad_values(as_member, monkeypatch):
    monkeypatch.setattr(thread_list, "THREADS_PER_PAGE", 2)
    client, _ = as_member()
    community = make_community("strategy")
    author = make_member()
    for letter in "ABCDEFGHIJK":  # 11 threads: 6 pages of 2
        seed_thread(community, author, f"Topic {letter}")

    page = client.get("/c/strategy?sort=newest&show=bogus&page=3").get_data(as_text=True)
    assert listed(page) == ["Topic G", "Topic F"]
    links = re.findall(r'href="(/c/strategy[^"]*)"', page.replace("&amp;", "&"))
    pager = [link for link in links if "page=" in link]
    assert pager and all("sort=newest" in link and "bogus" not in link for link in pager)
    for n in (1, 2, 4):  # first, previous, the pages before, next (the list is not counted)
        assert any(f"page={n}" in link for link in pager), n
    assert 'aria-current="page"' in page and "Page 3" in page and "Page 3 of" not in page

    # The last page has no "Next"; past the end: the last page (a link kept from when there
    # were more threads still lands on threads); nonsense: the first. Neither is an error.
    six = client.get("/c/strategy?sort=newest&page=6").get_data(as_text=True)
    assert listed(six) == ["Topic A"] and 'rel="next"' not in six
    last = client.get("/c/strategy?sort=newest&page=99").get_data(as_text=True)
    assert listed(last) == ["Topic A"] and "Page 6" in last and 'rel="next"' not in last
    first = client.get("/c/strategy?page=abc").get_data(as_text=True)
    assert "Page 1" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert client.get("/c/strategy?page=-4").status_code == 200


def _seed_many(community, members, count: int) -> None:
    for n in range(count):
        seed_thread(community, members[n % 3], f"Thread {n}", *members[: n % 4])


def test_query_count_is_the_same_at_5_and_50_threads(as_member):
    client, _ = as_member()
    community = make_community("strategy")
    members = [make_member() for _ in range(4)]
    _seed_many(community, members, 5)
    client.get("/c/strategy")  # the first page that needs it builds the reader's unread state
    urls = ["/c/strategy", "/c/strategy?sort=replies&show=unread", "/c/strategy?show=mine"]
    small = {url: queries_for(client, url) for url in urls}
    community = db_community("strategy")
    members = [make_member() for _ in range(4)]
    _seed_many(community, members, 45)
    run_queued_work()
    large = {url: queries_for(client, url) for url in urls}
    assert large == small
    page = client.get("/c/strategy").get_data(as_text=True)
    assert 'rel="next"' in page and len(participants(page)) == thread_list.THREADS_PER_PAGE


def db_community(slug: str) -> Community:
    return db.session.scalars(select(Community).where(Community.slug == slug)).one()


def test_next_page_is_offered_only_for_threads_the_member_may_open(as_member, monkeypatch):
    """The list is not counted: "Next" comes from one row more than a page, fetched under the
    member's visibility, so a lower tier is never led to a page of threads out of its reach."""
    monkeypatch.setattr(thread_list, "THREADS_PER_PAGE", 2)
    community = make_community("lounge", "strategist")
    author, editor = make_member(), make_member("editor")
    for letter in "AB":
        seed_thread(community, author, f"Topic {letter}")
    for letter in "CDE":  # discussions of a council-only resource, in the same community
        thread = seed_thread(community, author, f"Topic {letter}")
        thread.resource_id = make_resource(
            editor, f"Council piece {letter}", tier_slug="council"
        ).id
    commit()
    strategist, _ = as_member(tier="strategist")
    council, _ = as_member(tier="council")

    lower = strategist.get("/c/lounge").get_data(as_text=True)
    assert sorted(listed(lower)) == ["Topic A", "Topic B"] and 'rel="next"' not in lower
    past_the_end = strategist.get("/c/lounge?page=2").get_data(as_text=True)
    assert sorted(listed(past_the_end)) == ["Topic A", "Topic B"]  # its last page: the first
    assert "Topic C" not in past_the_end
    higher = council.get("/c/lounge").get_data(as_text=True)
    assert len(listed(higher)) == 2 and 'rel="next"' in higher
    assert len(listed(council.get("/c/lounge?page=3").get_data(as_text=True))) == 1
