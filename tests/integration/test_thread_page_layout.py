"""The thread page: the first post first, compact post actions that work without JavaScript,
and one form for every post's buttons (issue 14's first screen, issue 15's thread-page cost)."""

from __future__ import annotations

import re

from sqlalchemy import select

from community.extensions import db
from community.forum.models import Post, Reaction
from tests.factories.forum import add_posts, make_community, start_thread

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_a_reaction_button_works_without_javascript_through_the_shared_form(as_member):
    community = make_community("strategy")
    _, author = as_member()
    reader, member = as_member()
    thread = start_thread(author, community, "Board metrics", "Which ones survive a CFO?")

    page = reader.get(f"/t/{thread.id}").get_data(as_text=True)
    shared = page.split('<form method="post" id="post-action"', 1)[1].split("</form>", 1)[0]
    button = re.search(r'<button type="submit" form="post-action" formaction="([^"]+)"', page)
    first = db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)).one()
    assert button and button.group(1) == f"/p/{first}/react"
    # As a browser without JavaScript sends it: the shared form's token, the button's address.
    token = TOKEN.search(shared).group(1)  # type: ignore[union-attr]
    response = reader.post(button.group(1), data={"csrf_token": token, "kind": "like"})
    assert response.status_code == 302
    assert db.session.scalars(select(Reaction.member_id)).all() == [member.id]
    page = reader.get(f"/t/{thread.id}").get_data(as_text=True)
    assert 'aria-pressed="true"' in page


def test_forms_and_tokens_do_not_grow_with_the_posts_beyond_each_posts_flag(as_member):
    community = make_community("strategy")
    _, author = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(author, community, "Board metrics", "Which ones survive a CFO?")

    def counts() -> tuple[int, int]:
        page = moderator.get(f"/t/{thread.id}").get_data(as_text=True)
        return page.count("<form"), len(set(TOKEN.findall(page)))

    forms_one, tokens_one = counts()
    add_posts(thread, author, 9)
    forms_ten, tokens_ten = counts()
    # Before: a react form per reaction kind, a delete form and a flag form per post (4 each).
    assert forms_ten - forms_one == 9  # the flag form of each new post, nothing else
    # The post list's forms share one token (each response masks it afresh): no more with posts.
    assert tokens_one == tokens_ten


def test_moderation_sits_in_one_menu_after_the_title_and_icons_have_labels(as_member):
    community = make_community("strategy")
    _, author = as_member()
    moderator, _ = as_member("moderator")
    thread = start_thread(author, community, "Board metrics", "Which ones survive a CFO?")

    page = moderator.get(f"/t/{thread.id}").get_data(as_text=True)
    menu = page.split('<details class="menu thread-menu">', 1)[1].split("</details>\n</div>", 1)[0]
    for control in ("Pin the thread", "Lock the thread", "Close the thread", "Move", "Assign"):
        assert control in menu, control
    assert page.count('class="menu thread-menu"') == 1
    assert 'aria-label="Quote"' in page and 'aria-label="More actions for post #1"' in page
    assert '<span class="visually-hidden reaction-label">Like</span>' in page
