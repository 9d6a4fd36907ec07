"""A NotFound or PermissionDenied raised by a service, and let through by its view, answers the
very page ``abort(404)`` or ``abort(403)`` answers: same status, same text, and none of the
service's own words (which could tell a member that a hidden object exists)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from community.extensions import db
from community.forum.models import Post
from tests import factories

# Per-request bits of a page: CSRF tokens (masked afresh at each rendering, or signed), the
# moment live updates start from.
PER_REQUEST = re.compile(
    r'name="csrf_token"[^>]*value="[^"]*"|[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}'
    r'|data-live-since="[^"]*"'
)


def page(response) -> str:
    return PER_REQUEST.sub("<per-request>", response.get_data(as_text=True))


@pytest.fixture
def boardroom_post(app):
    """The first post of a thread in a council-tier community."""
    insider = factories.make_member(tier_slug="council")
    boardroom = factories.make_community("boardroom", tier="council")
    thread = factories.start_thread(insider, boardroom, "Merger plans", "The target list.")
    return db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()


def test_a_hidden_post_answers_the_404_page_that_abort_answers(as_member, boardroom_post):
    client, _ = as_member(tier="strategist")

    hidden = client.get(f"/p/{boardroom_post.id}")  # forum.services raises NotFound
    missing = client.get(f"/p/{boardroom_post.id + 1000}")
    aborted = client.get("/no-such-page")  # Flask's own abort(404)

    assert hidden.status_code == missing.status_code == aborted.status_code == 404
    assert page(hidden) == page(missing) == page(aborted)
    assert "There is nothing here, or it is not visible to you." in page(hidden)
    assert "Merger" not in page(hidden)


def test_a_refused_revision_history_answers_the_403_page_that_abort_answers(
    as_member, boardroom_post
):
    client, _ = as_member(tier="council")

    refused = client.get(f"/p/{boardroom_post.id}/revisions")  # PermissionDenied
    aborted = client.get("/moderation/requests")  # the moderators-only guard's abort(403)

    assert refused.status_code == aborted.status_code == 403
    assert page(refused) == page(aborted)
    assert "Your role does not give access to this page." in page(refused)
    assert "Revision history is for moderators" not in page(refused)
