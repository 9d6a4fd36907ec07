"""Chapter leads: owners appoint them on a chapter's admin page; they work the flag queue and
moderate threads in their own chapters, and get 404 for anything elsewhere."""

from __future__ import annotations

import pytest

from community.core.events import commit
from community.extensions import db
from community.forum import services
from community.forum.models import ChapterLead, Community, Thread
from tests import factories
from tests.integration.test_forum import count, make_community, start_thread
from tests.integration.test_thread_states import audit


def edit_page(client, community: Community) -> str:
    return client.get(f"/admin/communities/{community.id}").get_data(as_text=True)


def test_owners_appoint_and_remove_chapter_leads_with_clear_errors(as_member):
    chapter = make_community("europe", tier="executive", is_chapter=True)
    plain = make_community("general")
    owner_client, _ = as_member("owner")
    _, lead = as_member(tier="executive", name="Lena Lead")
    _, low = as_member(tier="strategist", name="Stan Strategist")
    gone = factories.make_member(tier_slug="executive", status="revoked", name="Gone Member")

    def appoint(community: Community, handle: str) -> str:
        response = owner_client.submit(
            f"/admin/communities/{community.id}/leads", {"handle": handle}, follow_redirects=True
        )
        return response.get_data(as_text=True)

    assert "does not admit" in appoint(chapter, low.handle)
    assert "Name an active member" in appoint(chapter, gone.handle)
    assert "Name an active member" in appoint(chapter, "nobody-here")
    assert "mark the community as a chapter first" in appoint(plain, lead.handle)
    page = appoint(chapter, f"@{lead.handle}")
    assert "Chapter lead appointed." in page and f"@{lead.handle}" in page
    assert "already leads" in appoint(chapter, lead.handle)
    assert count(ChapterLead) == 1
    [entry] = audit("community.lead_appointed")
    assert entry.details["lead"] == lead.handle

    owner_client.submit(f"/admin/communities/{chapter.id}/leads/{lead.id}/remove")
    assert count(ChapterLead) == 0 and len(audit("community.lead_removed")) == 1
    assert "No leads yet." in edit_page(owner_client, chapter)


def test_only_owners_appoint_leads(as_member):
    chapter = make_community("europe", is_chapter=True)
    moderator_client, moderator = as_member("moderator")
    response = moderator_client.submit(
        f"/admin/communities/{chapter.id}/leads", {"handle": moderator.handle}
    )
    assert response.status_code == 404
    assert count(ChapterLead) == 0


@pytest.fixture
def chapters(as_member):
    """A lead of the Europe chapter, with a flagged thread and post there and in Asia."""
    europe = make_community("europe", is_chapter=True)
    asia = make_community("asia", is_chapter=True)
    lead_client, lead = as_member(name="Lena Lead")
    db.session.add(ChapterLead(community_id=europe.id, member_id=lead.id))
    commit()
    _, author = as_member()
    flagger, _ = as_member()
    threads = {}
    for community in (europe, asia):
        thread = start_thread(author, community, f"Flagged in {community.slug}", "Spam, maybe.")
        post = services.reply(author, thread.id, f"A reply in {community.slug} to review.")
        flagger.submit(f"/t/{thread.id}/flag", {"reason": "spam"})
        flagger.submit(f"/p/{post.id}/flag", {"reason": "spam"})
        threads[community.slug] = (thread, post)
    return lead_client, threads


def test_a_lead_works_the_flag_queue_of_their_own_chapter_only(chapters):
    lead_client, threads = chapters
    page = lead_client.get("/moderation/flags").get_data(as_text=True)
    assert "Flagged in europe" in page and "Flagged in asia" not in page
    assert "2 waiting" in page
    assert "Review flags" in lead_client.get("/c/europe").get_data(as_text=True)

    asia_thread, asia_post = threads["asia"]
    for url in (f"/moderation/flags/thread/{asia_thread.id}", f"/moderation/flags/{asia_post.id}"):
        response = lead_client.submit(url, {"decision": "delete"})
        assert response.status_code == 404
        assert "Flagged in asia" not in response.get_data(as_text=True)
    assert db.session.get(Thread, asia_thread.id).deleted_at is None

    europe_thread, europe_post = threads["europe"]
    lead_client.submit(f"/moderation/flags/thread/{europe_thread.id}", {"decision": "dismiss"})
    lead_client.submit(f"/moderation/flags/{europe_post.id}", {"decision": "delete"})
    assert "Nothing to review" in lead_client.get("/moderation/flags").get_data(as_text=True)
    assert len(audit("thread.dismiss")) == 1 and len(audit("post.delete")) == 1

    # The rest of moderation stays with moderators.
    for url in ("/moderation/requests", "/moderation/members", "/moderation/"):
        assert lead_client.get(url).status_code == 403


def test_a_lead_pins_locks_closes_and_moves_threads_within_their_chapters(chapters, as_member):
    lead_client, threads = chapters
    europe_thread, _ = threads["europe"]
    asia_thread, _ = threads["asia"]
    for action in ("pin", "lock"):
        url = f"/t/{europe_thread.id}/moderate"
        assert lead_client.submit(url, {"action": action}).status_code == 302
        assert (
            lead_client.submit(f"/t/{asia_thread.id}/moderate", {"action": action}).status_code
            == 403
        )
    assert lead_client.submit(f"/t/{europe_thread.id}/close").status_code == 302
    assert lead_client.submit(f"/t/{asia_thread.id}/close").status_code == 403
    thread = db.session.get(Thread, europe_thread.id)
    assert thread.pinned and thread.locked and thread.closed_at is not None
    assert not db.session.get(Thread, asia_thread.id).pinned

    # Moving: only to a community they also lead, and the form offers no other.
    page = lead_client.get(f"/t/{europe_thread.id}").get_data(as_text=True)
    assert 'value="asia"' not in page and 'value="europe"' in page
    lead_client.submit(f"/t/{europe_thread.id}/move", {"community": "asia"})
    assert db.session.get(Thread, europe_thread.id).community.slug == "europe"


def test_other_members_get_no_hint_of_the_flag_queue(as_member, chapters):
    member_client, _ = as_member()
    assert "Review flags" not in member_client.get("/c/europe").get_data(as_text=True)
