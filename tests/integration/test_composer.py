"""The composer's server side: a preview made by the save path's own checks and renderer, the
places whose drafts were posted, and the mention picker's names and titles."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.extensions import db
from community.forum.models import Post, Thread
from tests import factories
from tests.factories import make_community, start_thread


def preview(client, body: str, **kwargs):
    return client.submit("/composer/preview", {"body": body}, **kwargs)


def test_the_preview_is_the_html_the_thread_page_shows(as_member):
    client, _ = as_member()
    body = "# Plan\n\n**bold** _it_ @someone [site](https://example.com) <script>alert(1)</script>"
    response = preview(client, body)
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<h3>Plan</h3>" in html  # headings demoted, as in a post
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert '<a class="mention" href="/members/@someone">@someone</a>' in html  # as on the page
    assert 'href="https://example.com" rel="nofollow noopener noreferrer"' in html
    assert "<script" not in html and "&lt;script&gt;" in html

    community = make_community()
    thread = start_thread(factories.make_member(), community, "Saved the same way", body)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert html in page


def thread_posts(thread: Thread) -> list[Post]:
    return list(
        db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.number))
    )


def test_an_empty_text_previews_as_nothing(as_member):
    client, _ = as_member()
    response = preview(client, "  \n")
    assert response.status_code == 200
    assert response.get_json() == {"html": ""}


def test_the_preview_refuses_what_a_save_refuses_before_parsing_it(as_member):
    client, _ = as_member()
    marks = preview(client, "[" * 2_000)
    assert marks.status_code == 400
    assert "too much formatting" in marks.get_json()["error"]
    assert "html" not in marks.get_json()

    too_long = preview(client, "word " * 4_001)
    assert too_long.status_code == 400
    assert "Keep posts under 20,000 characters" in too_long.get_json()["error"]


def test_the_preview_needs_the_csrf_token_and_a_signed_in_member(client, as_member):
    signed_in, _ = as_member()
    forged = signed_in.post("/composer/preview", data={"body": "**hi**"})
    assert forged.status_code == 400
    assert "<strong>" not in forged.get_data(as_text=True)

    visitor = client.submit("/composer/preview", {"body": "**hi**"})
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]


def test_the_preview_is_rate_limited_per_member(as_member):
    client, _ = as_member()
    token = client.csrf_token()
    answers = [
        client.post("/composer/preview", data={"body": "hi", "csrf_token": token}).status_code
        for _ in range(61)
    ]
    assert answers[:60] == [200] * 60
    assert answers[60] == 429
    other, _ = as_member()
    assert preview(other, "hi").status_code == 200


# --- drafts: the server says which were posted ----------------------------------------------


def posted_drafts(page) -> str:
    match = re.search(r'data-drafts-posted="([^"]*)"', page.get_data(as_text=True))
    assert match, "no composer on the page"
    return match.group(1)


def test_a_posted_reply_tells_the_next_composer_to_clear_its_draft_once(as_member):
    client, me = as_member()
    thread = start_thread(me, make_community(), "Drafts", "Where do drafts go?")
    page = client.get(f"/t/{thread.id}")
    assert f'data-draft-key="council:draft:{me.id}:thread:{thread.id}"' in page.get_data(
        as_text=True
    )
    assert posted_drafts(page) == ""

    sent = client.submit(f"/t/{thread.id}/reply", {"body": "Into the thread."})
    assert sent.status_code == 302
    assert posted_drafts(client.get(sent.headers["Location"])) == f"thread:{thread.id}"
    assert posted_drafts(client.get(f"/t/{thread.id}")) == ""  # told once


def test_a_refused_reply_keeps_its_draft(as_member):
    client, me = as_member()
    thread = start_thread(me, make_community(), "Drafts", "Where do drafts go?")
    refused = client.submit(f"/t/{thread.id}/reply", {"body": "[" * 2_000})
    assert refused.status_code == 400
    assert posted_drafts(refused) == ""
    assert "data-has-errors" in refused.get_data(as_text=True)  # the script keeps the text
    assert posted_drafts(client.get(f"/t/{thread.id}")) == ""


def test_new_threads_and_edits_have_drafts_of_their_own(as_member):
    client, me = as_member()
    community = make_community()
    created = client.submit(
        f"/c/{community.slug}/new", {"title": "A thread", "body": "Its first post."}
    )
    assert created.status_code == 302
    assert posted_drafts(client.get(created.headers["Location"])) == f"community:{community.slug}"
    form = client.get(f"/c/{community.slug}/new").get_data(as_text=True)
    assert f'data-draft-key="council:draft:{me.id}:community:{community.slug}"' in form

    post = thread_posts_of(created)[0]
    edit_page = client.get(f"/p/{post.id}/edit").get_data(as_text=True)
    assert f'data-draft-key="council:draft:{me.id}:post:{post.id}"' in edit_page
    edited = client.submit(f"/p/{post.id}/edit", {"body": "Its first post, edited."})
    assert edited.status_code == 302
    assert posted_drafts(client.get(edited.headers["Location"])) == f"post:{post.id}"


def thread_posts_of(response) -> list[Post]:
    thread_id = int(re.search(r"/t/(\d+)", response.headers["Location"]).group(1))
    return thread_posts(db.session.get(Thread, thread_id))


def test_the_mention_picker_gets_names_and_titles_of_readers_only(as_member):
    board = make_community("board-room", tier="council")
    client, me = as_member(tier="council")
    factories.make_member(tier_slug="council", name="Alex Council")
    factories.make_member(tier_slug="strategist", name="Alma Strategist")
    thread = start_thread(me, board, "Board topic", "For the council.")
    answer = client.get(f"/t/{thread.id}/mentionable", query_string={"q": "al"}).get_json()
    assert answer["members"] == [
        {"handle": "alex.council", "name": "Alex Council", "title": "Chief Strategy Officer"}
    ]
    assert answer["handles"] == ["alex.council"]


def test_the_page_after_sign_out_names_the_members_drafts_to_clear_once(as_member):
    client, member = as_member()
    signed_in = client.get("/").get_data(as_text=True)
    assert "data-clear-drafts" not in signed_in

    landing = client.submit("/logout", {}, follow_redirects=True).get_data(as_text=True)
    assert f'data-clear-drafts="council:draft:{member.id}:"' in landing
    assert "data-clear-drafts" not in client.get("/").get_data(as_text=True)
