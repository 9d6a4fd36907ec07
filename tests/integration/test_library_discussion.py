"""Library discussions: never wider than their resource, whatever happens to it (archived,
its tier lowered), and a promoted draft never carries text its readers could not read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.forum import services as forum
from community.forum.models import Community, Post
from community.library.models import Resource
from tests import factories

PITCH = "Book a demo of our platform today: pricing starts at $99."


@pytest.fixture
def held_thread(app):
    """A thread whose first post is held for review (its author and moderators read it)."""
    app.config["NEW_MEMBER_DAYS"] = 0
    community = Community(
        slug="practice", name="Practice", category="General", min_tier=factories.tier("executive")
    )
    db.session.add(community)
    commit()
    author = factories.make_member()
    thread = forum.create_thread(author, community, "How we measure advocacy", PITCH)
    first = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    forum.hold_post(first, "Looks like a sales pitch.")
    commit()
    return thread


@pytest.mark.parametrize("role", ["editor", "owner"])
def test_promoting_a_thread_never_copies_a_held_first_post(as_member, held_thread, role):
    client, _ = as_member(role)
    response = client.submit(f"/library/promote/{held_thread.id}")
    assert response.status_code == 302
    draft = db.session.scalars(select(Resource)).one()
    assert draft.title == "How we measure advocacy"
    assert PITCH not in draft.body and "pricing" not in draft.body_html
    assert f"/t/{held_thread.id}" in draft.body
    assert PITCH not in client.get(f"/library/{draft.id}/edit").get_data(as_text=True)
