"""The thread page offers exactly the powers the access package grants, and the actions behind
its buttons agree (tests/integration/test_access_consistency.py checks the whole grid)."""

from __future__ import annotations

from community.core.events import commit
from community.forum import services, thread_state
from tests.factories.forum import make_community, start_thread


def test_a_deleted_post_offers_no_reactions_and_a_deleted_thread_no_promotion(as_member):
    community = make_community("strategy")
    _, author = as_member()
    owner_client, _ = as_member("owner")
    thread = start_thread(author, community, "Board metrics", "Which ones survive a CFO?")
    reply = services.reply(author, thread.id, "Second thoughts, remove me.")
    services.delete_post(author, reply.id)

    page = owner_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Deleted; visible to moderators only." in page
    assert f'action="/p/{reply.id}/react"' not in page  # it could only answer "no"
    assert "Promote to a library draft" in page

    thread_state.delete_thread(thread)
    commit()
    page = owner_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Promote to a library draft" not in page
    assert owner_client.submit(f"/library/promote/{thread.id}").status_code == 403
