"""Long threads: page numbers, "Jump to last", and the reading position kept (a list opens a
thread at the first unread post, a reply lands on its own page)."""

from __future__ import annotations

import re

from community.forum import services
from tests.conftest import run_queued_work
from tests.factories import make_member
from tests.factories.forum import add_posts, make_community, seed_thread


def test_page_numbers_around_the_current_page(as_member, monkeypatch):
    monkeypatch.setattr(services, "POSTS_PER_PAGE", 2)
    client, _ = as_member()
    thread = seed_thread(make_community(), make_member(), "Topic A")
    add_posts(thread, make_member(), 12)  # 13 posts: 7 pages of 2

    page = client.get(f"/t/{thread.id}?page=4").get_data(as_text=True)
    links = set(re.findall(rf'href="/t/{thread.id}\?page=(\d+)"', page))
    assert links == {"1", "2", "3", "5", "6", "7"}  # first, previous, 2 either side, next, last
    assert re.search(r'aria-current="page">.*4</span>', page)
    assert f'href="/t/{thread.id}/last"' in page and "Jump to last" in page
    far = client.get(f"/t/{thread.id}?page=1").get_data(as_text=True)
    assert set(re.findall(rf'href="/t/{thread.id}\?page=(\d+)"', far)) == {"2", "3", "7"}


def test_a_page_past_the_end_shows_the_last_page(as_member, monkeypatch):
    """The last page, not a 404: posts held or deleted since a link was made shorten the
    thread, and such a link should still land on the thread's latest posts."""
    monkeypatch.setattr(services, "POSTS_PER_PAGE", 2)
    client, _ = as_member()
    thread = seed_thread(make_community(), make_member(), "Topic A")
    add_posts(thread, make_member(), 4)  # 5 posts: 3 pages
    for bad in ("99", "100000000000000000000000", "-3", "abc", "2.5"):
        response = client.get(f"/t/{thread.id}?page={bad}")
        assert response.status_code == 200, bad
    page = client.get(f"/t/{thread.id}?page=99").get_data(as_text=True)
    assert 'id="p5"' in page and "Page 3 of 3" in page
    assert 'id="p1"' in client.get(f"/t/{thread.id}?page=abc").get_data(as_text=True)


def test_jump_to_last_skips_a_post_the_reader_cannot_see(as_member, monkeypatch):
    monkeypatch.setattr(services, "POSTS_PER_PAGE", 2)
    client, _ = as_member()
    author = make_member()
    thread = seed_thread(make_community(), author, "Topic A")
    posts = add_posts(thread, author, 4)  # 5 posts; the fifth is then held
    services.hold_post(posts[-1], "Looks like a pitch.")
    services.commit()
    response = client.get(f"/t/{thread.id}/last")
    assert response.headers["Location"].endswith(f"/t/{thread.id}?page=2#p4")


def test_the_list_opens_a_thread_at_the_first_unread_post(as_member, monkeypatch):
    monkeypatch.setattr(services, "POSTS_PER_PAGE", 2)
    client, _ = as_member()
    author = make_member()
    thread = seed_thread(make_community("strategy"), author, "Topic A")
    add_posts(thread, author, 2)
    client.get(f"/t/{thread.id}?page=2")  # read 1-3
    add_posts(thread, author, 3)  # 4-6 unread: post 4 is on page 2
    run_queued_work()

    listing = client.get("/c/strategy").get_data(as_text=True)
    assert "3 unread" in listing
    link = re.search(r'class="thread-title" href="([^"]+)"', listing).group(1)
    response = client.get(link)
    assert response.headers["Location"].endswith(f"/t/{thread.id}?page=2#p4")


def test_after_replying_the_member_lands_on_their_post(as_member, monkeypatch):
    monkeypatch.setattr(services, "POSTS_PER_PAGE", 2)
    client, _ = as_member()
    author = make_member()
    thread = seed_thread(make_community(), author, "Topic A")
    add_posts(thread, author, 4)  # 5 posts: the reply is the sixth, on page 3
    response = client.submit(f"/t/{thread.id}/reply", {"body": "My answer to all of this."})
    assert response.headers["Location"].endswith(f"/t/{thread.id}?page=3#p6")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="p6"' in page and "My answer to all of this." in page
