"""The access grid for the library: a resource and its file answer 404, and leak no title, to
every tier below the resource's; drafts answer 404 to everyone but editors and owners."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.library import services
from community.library.attachments import Upload
from community.library.models import TopicFollow
from community.library.services import ResourceDraft
from tests import factories

TIERS = ["strategist", "executive", "council"]
RANK = {tier: n for n, tier in enumerate(TIERS, 1)}
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def make_with_file(editor, title: str, tier: str, publish: bool = True):
    from community.library import workflow

    resource = services.create_resource(
        editor,
        ResourceDraft(kind="white_paper", title=title, summary="", body="", min_tier=tier),
        Upload("paper.pdf", PDF),
    )
    if publish:
        workflow.transition(editor, resource.id, "in_review")
        workflow.transition(editor, resource.id, "published")
    return resource


def get_file(client, url: str):
    """GET a download and close it (a streamed file stays open until its response is closed)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def shelf(app):
    owner = factories.make_member("owner")
    return {tier: make_with_file(owner, f"Secret {tier} paper", tier) for tier in TIERS}


@pytest.mark.parametrize("viewer_tier", TIERS)
@pytest.mark.parametrize("resource_tier", TIERS)
@pytest.mark.parametrize("role", ["member", "moderator", "editor"])
def test_page_file_and_list_by_tier(as_member, shelf, viewer_tier, resource_tier, role):
    client, _ = as_member(role, viewer_tier)
    resource = shelf[resource_tier]
    title = f"Secret {resource_tier} paper"
    page = client.get(f"/library/{resource.id}")
    file = get_file(client, f"/library/{resource.id}/file")
    listing = client.get("/library").get_data(as_text=True)
    done = client.submit(f"/library/{resource.id}/done", {"done": "1"})
    if RANK[viewer_tier] >= RANK[resource_tier]:
        assert page.status_code == 200 and title in page.get_data(as_text=True)
        assert file.status_code == 200 and file.data == PDF
        assert title in listing
        assert done.status_code == 302
    else:
        for response in (page, file, done):
            assert response.status_code == 404
            assert title not in response.get_data(as_text=True)
        assert title not in listing


def test_file_is_served_as_an_attachment_with_a_safe_name_and_nosniff(as_member, shelf):
    client, _ = as_member()
    response = get_file(client, f"/library/{shelf['strategist'].id}/file")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=paper.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("tier", TIERS)
def test_files_of_every_tier_are_never_kept_by_a_shared_or_browser_cache(as_member, shelf, tier):
    client, _ = as_member(tier="council")
    response = get_file(client, f"/library/{shelf[tier].id}/file")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_owner_sees_every_tier(as_member, shelf):
    client, _ = as_member("owner", "strategist")
    for resource in shelf.values():
        assert client.get(f"/library/{resource.id}").status_code == 200
        assert get_file(client, f"/library/{resource.id}/file").status_code == 200


@pytest.mark.parametrize(
    ("role", "status"), [("member", 404), ("moderator", 404), ("editor", 200), ("owner", 200)]
)
def test_drafts_answer_404_to_all_but_editors(app, as_member, role, status):
    editor = factories.make_member("editor")
    draft = make_with_file(editor, "Unannounced draft", "strategist", publish=False)
    client, _ = as_member(role)
    assert client.get(f"/library/{draft.id}").status_code == status
    assert get_file(client, f"/library/{draft.id}/file").status_code == status
    assert "Unannounced draft" not in client.get("/library").get_data(as_text=True)
    edit = client.get(f"/library/{draft.id}/edit")
    assert edit.status_code == (404 if status == 404 else 200)


def test_editors_stay_within_their_tier(app, as_member):
    owner = factories.make_member("owner")
    council_draft = make_with_file(owner, "Council draft", "council", publish=False)
    client, _ = as_member("editor", "executive")
    assert client.get(f"/library/{council_draft.id}").status_code == 404
    assert client.get(f"/library/{council_draft.id}/edit").status_code == 404
    response = client.submit(f"/library/{council_draft.id}/transition", {"to": "in_review"})
    assert response.status_code == 404


def test_discussion_thread_is_no_wider_than_the_resource(as_member, shelf):
    for tier, resource in shelf.items():
        for viewer in TIERS:
            client, _ = as_member(tier=viewer)
            status = client.get(f"/t/{resource.thread_id}").status_code
            assert status == (200 if RANK[viewer] >= RANK[tier] else 404)


def test_topics_of_hidden_resources_are_not_offered(as_member):
    owner = factories.make_member("owner")
    factories.make_resource(owner, "Deal memo", tier_slug="council", topics="Acquisitions")
    factories.make_resource(owner, "Open guide", tier_slug="strategist", topics="Listening")
    low, _ = as_member(tier="strategist")
    high, _ = as_member(tier="council")
    assert "Acquisitions" not in low.get("/library").get_data(as_text=True)
    assert "Acquisitions" in high.get("/library").get_data(as_text=True)


def _without_clock(html: str) -> str:
    # The sign-out form's time-stamped token and the live channel's "since" instant: the only
    # parts of a page that differ between two requests, whatever they asked for.
    html = re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", html)
    return re.sub(r'data-live-since="[^"]+"', "", html)


def test_following_a_hidden_topic_answers_exactly_like_a_missing_one(as_member):
    owner = factories.make_member("owner")
    factories.make_resource(owner, "Board memo", tier_slug="council", topics="Governance")
    factories.make_resource(
        owner, "Drafted", tier_slug="strategist", topics="Secrets", status="draft"
    )
    factories.make_resource(owner, "Open guide", tier_slug="strategist", topics="Listening")
    low, _ = as_member(tier="strategist")
    missing = low.submit("/library/topics/no-such-topic/follow", {"follow": "1"})
    for slug in ("governance", "secrets"):
        for follow in ("1", "0"):
            hidden = low.submit(f"/library/topics/{slug}/follow", {"follow": follow})
            assert hidden.status_code == missing.status_code == 404
            assert _without_clock(hidden.get_data(as_text=True)) == _without_clock(
                missing.get_data(as_text=True)
            )
    assert db.session.scalar(select(func.count()).select_from(TopicFollow)) == 0
    assert low.submit("/library/topics/listening/follow", {"follow": "1"}).status_code == 302
    high, _ = as_member(tier="council")
    assert high.submit("/library/topics/governance/follow", {"follow": "1"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(TopicFollow)) == 2


def test_raising_the_tier_moves_the_discussion_out_of_reach_of_lower_tiers(as_member):
    from community.library.models import Resource

    owner = factories.make_member("owner")
    resource = factories.make_resource(owner, "Was for everyone", tier_slug="strategist")
    low, _ = as_member(tier="strategist")
    assert low.get(f"/t/{resource.thread_id}").status_code == 200
    services.update_resource(
        owner,
        resource.id,
        ResourceDraft(
            kind="article", title="Now council only", summary="", body="", min_tier="council"
        ),
    )
    resource = db.session.get(Resource, resource.id)
    assert resource.thread.community.min_tier.slug == "council"
    assert resource.thread.community.thread_count == 1
    assert low.get(f"/t/{resource.thread_id}").status_code == 404
    assert low.get(f"/library/{resource.id}").status_code == 404
