"""Library discussions: never wider than their resource, whatever happens to it (archived,
its tier lowered), and a promoted draft never carries text its readers could not read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.forum import services as forum
from community.forum.models import Community, Post, Thread
from community.library import services, workflow
from community.library.models import Resource
from community.library.services import ResourceDraft
from community.notifications.models import Notification
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


# --- An archived resource's discussion answers 404 to those who cannot see the resource -----


def _notifications_of(member) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.member_id == member.id)))


def test_archiving_closes_the_discussion_to_members_everywhere(app, as_member):
    app.config["NEW_MEMBER_DAYS"] = 0
    owner = factories.make_member("owner")
    resource = factories.make_resource(owner, "Retention playbook", tier_slug="strategist")
    thread = db.session.get(Thread, resource.thread_id)
    community = thread.community.slug
    reader, member = as_member(tier="strategist")
    owner_client, _ = as_member("owner")
    forum.reply(owner, thread.id, "What did your churn look like?")  # unread for the member
    forum.reply(member, thread.id, "Ours halved.")  # the member now watches the thread
    assert reader.get(f"/t/{thread.id}").status_code == 200
    assert "Retention playbook" in reader.get(f"/c/{community}").get_data(as_text=True)

    workflow.transition(owner, resource.id, "archived")
    forum.reply(owner, thread.id, "Archived, but still talking.")

    assert reader.get(f"/t/{thread.id}").status_code == 404
    assert "Retention playbook" not in reader.get(f"/c/{community}").get_data(as_text=True)
    assert "Retention playbook" not in reader.get("/").get_data(as_text=True)  # what's new
    assert [n.text for n in _notifications_of(member) if "Archived" in n.text] == []
    assert "Retention playbook" not in reader.get("/notifications").get_data(as_text=True)
    assert owner_client.get(f"/t/{thread.id}").status_code == 200
    assert "Retention playbook" in owner_client.get(f"/c/{community}").get_data(as_text=True)


# --- Lowering the tier opens a new discussion; the old one stays at its tier ------------------


def test_lowering_the_tier_never_moves_council_replies_down(app, as_member):
    app.config["NEW_MEMBER_DAYS"] = 0
    owner = factories.make_member("owner")
    resource = factories.make_resource(owner, "Board pay benchmarks", tier_slug="council")
    council_thread = resource.thread_id
    council_client, council_member = as_member(tier="council")
    forum.reply(council_member, council_thread, "Our board voted 7-2 on the cut.")
    low, _ = as_member(tier="strategist")

    services.update_resource(
        owner,
        resource.id,
        ResourceDraft(
            kind="article", title="Board pay benchmarks", summary="", body="", min_tier="strategist"
        ),
    )

    resource = db.session.get(Resource, resource.id)
    old = db.session.get(Thread, council_thread)
    assert old.community.min_tier.slug == "council"  # stayed where it was written
    assert resource.thread_id != council_thread
    assert resource.thread.community.min_tier.slug == "strategist"
    assert low.get(f"/t/{council_thread}").status_code == 404
    assert low.get(f"/t/{resource.thread_id}").status_code == 200
    page = low.get(f"/library/{resource.id}").get_data(as_text=True)
    assert "voted 7-2" not in page and f"/t/{council_thread}" not in page
    # Those who could read the old discussion still find it from the resource, and back.
    page = council_client.get(f"/library/{resource.id}").get_data(as_text=True)
    assert f'href="/t/{council_thread}"' in page and f'href="/t/{resource.thread_id}"' in page
    old_page = council_client.get(f"/t/{council_thread}").get_data(as_text=True)
    assert "voted 7-2" in old_page and f"/library/{resource.id}" in old_page
