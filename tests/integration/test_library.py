"""The library as members use it: the list, a resource page, topics, mark as done, promoting a
thread, learning paths, and the figures its authors and editors see."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.forum import services as forum
from community.forum.models import Community, Thread
from community.library import paths
from community.library.models import Resource
from community.metrics.services import record_now
from tests import factories


def _owner():
    return factories.make_member("owner")


def test_list_shows_published_resources_newest_first_with_a_clear_empty_state(as_member):
    client, _ = as_member(tier="strategist")
    empty = client.get("/library").get_data(as_text=True)
    assert "Nothing here yet" in empty
    owner = _owner()
    factories.make_resource(owner, "Older guide", kind="how_to")
    factories.make_resource(owner, "Newer paper", kind="white_paper", topics="Crisis")
    factories.make_resource(owner, "Unfinished draft", status="draft")
    page = client.get("/library").get_data(as_text=True)
    assert page.index("Newer paper") < page.index("Older guide")
    assert "Unfinished draft" not in page
    assert "2 resources" in page


def test_list_filters_by_kind_and_topic_and_sorts_by_views(as_member):
    client, member = as_member()
    owner = _owner()
    guide = factories.make_resource(owner, "Guide to listening", kind="how_to", topics="Listening")
    factories.make_resource(owner, "Research on ROI", kind="research", topics="Measurement")
    by_kind = client.get("/library?kind=how_to").get_data(as_text=True)
    assert "Guide to listening" in by_kind and "Research on ROI" not in by_kind
    by_topic = client.get("/library?topic=measurement").get_data(as_text=True)
    assert "Research on ROI" in by_topic and "Guide to listening" not in by_topic
    nothing = client.get("/library?kind=video").get_data(as_text=True)
    assert "No published resources match these filters" in nothing
    record_now(member, "view", "resource", guide.id, once_per_day=True)
    popular = client.get("/library?sort=popular").get_data(as_text=True)
    assert popular.index("Guide to listening") < popular.index("Research on ROI")
    newest = client.get("/library").get_data(as_text=True)
    assert newest.index("Research on ROI") < newest.index("Guide to listening")


def test_resource_page_shows_body_discussion_and_related_by_topic(app, as_member):
    app.config["NEW_MEMBER_DAYS"] = 0
    client, member = as_member()
    owner = _owner()
    main = factories.make_resource(owner, "Board reporting", topics="Measurement, Board")
    factories.make_resource(owner, "Dashboards that work", topics="Measurement")
    factories.make_resource(owner, "Unrelated crisis memo", topics="Crisis")
    forum.reply(member, main.thread_id, "We report quarterly, and it works.")
    page = client.get(f"/library/{main.id}").get_data(as_text=True)
    assert "<strong>useful</strong>" in page
    assert "We report quarterly, and it works." in page
    assert "Join the discussion (2 posts)" in page
    related = page.split("Related", 1)[1]
    assert "Dashboards that work" in related and "Unrelated crisis memo" not in related


def test_published_resource_gets_a_thread_in_the_library_community_of_its_tier(app):
    owner = _owner()
    resource = factories.make_resource(owner, "Executive briefing", tier_slug="executive")
    thread = db.session.get(Thread, resource.thread_id)
    assert thread.title == "Executive briefing"
    assert thread.community.slug == "library-executive"
    assert thread.community.min_tier.slug == "executive"
    second = factories.make_resource(owner, "Another briefing", tier_slug="executive")
    assert db.session.get(Thread, second.thread_id).community_id == thread.community_id
    assert (
        db.session.scalar(select(Community).where(Community.slug == "library-strategist")) is None
    )


def test_members_follow_and_unfollow_topics(as_member):
    client, _ = as_member()
    factories.make_resource(_owner(), "On measurement", topics="Measurement")
    response = client.submit("/library/topics/measurement/follow", {"follow": "1"})
    assert response.status_code == 302
    page = client.get("/library?topic=measurement").get_data(as_text=True)
    assert "Unfollow Measurement" in page
    client.submit("/library/topics/measurement/follow", {"follow": "0"})
    assert "Follow Measurement" in client.get("/library?topic=measurement").get_data(as_text=True)
    assert client.submit("/library/topics/nope/follow", {"follow": "1"}).status_code == 404


def test_mark_as_done_records_a_completion_once_and_can_be_undone(as_member):
    client, _ = as_member()
    resource = factories.make_resource(_owner(), "Checklist")
    client.submit(f"/library/{resource.id}/done", {"done": "1"})
    client.submit(f"/library/{resource.id}/done", {"done": "1"})
    page = client.get(f"/library/{resource.id}").get_data(as_text=True)
    assert "Mark as not done" in page
    from community.metrics.services import counts_for

    assert counts_for("resource", resource.id)["complete"] == 1
    client.submit(f"/library/{resource.id}/done", {"done": "0"})
    assert "Mark as done" in client.get(f"/library/{resource.id}").get_data(as_text=True)


def test_figures_show_to_authors_editors_and_owners_only(as_member):
    reader, _ = as_member()
    author_client, author = as_member()
    editor_client, _ = as_member("editor")
    owner = _owner()
    resource = factories.make_resource(owner, "Figures")
    resource.authors = [author]
    commit()
    reader.get(f"/library/{resource.id}")
    reader.get(f"/library/{resource.id}")  # the same member, the same day: one view
    reader.get(f"/library/{resource.id}/file")  # no file: 404, no download
    for client in (author_client, editor_client):
        page = client.get(f"/library/{resource.id}").get_data(as_text=True)
        assert "Engagement" in page
    author_page = author_client.get(f"/library/{resource.id}").get_data(as_text=True)
    assert "<dt>Views</dt><dd>3</dd>" in author_page  # reader, author, editor (owner not yet)
    assert "Engagement" not in reader.get(f"/library/{resource.id}").get_data(as_text=True)


def test_editor_promotes_a_thread_and_the_thread_links_the_published_resource(app, as_member):
    app.config["NEW_MEMBER_DAYS"] = 0
    editor_client, _ = as_member("editor")
    reader, member = as_member()
    community = Community(
        slug="practice", name="Practice", category="General", min_tier=factories.tier("executive")
    )
    db.session.add(community)
    commit()
    thread = forum.create_thread(member, community, "How we measure advocacy", "Three steps.")
    page = editor_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Promote to a library draft" in page
    assert "Promote to a library draft" not in reader.get(f"/t/{thread.id}").get_data(as_text=True)
    assert reader.submit(f"/library/promote/{thread.id}").status_code == 403
    response = editor_client.submit(f"/library/promote/{thread.id}")
    assert response.status_code == 302
    resource = db.session.scalars(select(Resource)).one()
    assert resource.status == "draft" and resource.body == "Three steps."
    assert resource.min_tier.slug == "executive" and resource.authors == [member]
    assert "In the library" not in reader.get(f"/t/{thread.id}").get_data(as_text=True)
    # A promoted text never travels to a wider audience than its discussion had.
    widened = editor_client.submit(
        f"/library/{resource.id}/edit",
        {"kind": "article", "title": resource.title, "body": "x", "min_tier": "strategist"},
    )
    assert widened.status_code == 400
    assert "keep the resource at that tier or higher" in widened.get_data(as_text=True)
    editor_client.submit(f"/library/{resource.id}/transition", {"to": "in_review"})
    editor_client.submit(f"/library/{resource.id}/transition", {"to": "published"})
    page = reader.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "In the library" in page and f"/library/{resource.id}" in page


def test_learning_path_counts_only_what_the_member_can_see(as_member):
    client, _ = as_member(tier="executive")
    editor_client, editor = as_member("owner")
    visible = [factories.make_resource(editor, f"Step {n}") for n in range(3)]
    draft = factories.make_resource(editor, "Draft step", status="draft")
    ids = [visible[0].id, visible[1].id, draft.id, visible[2].id]
    form = {"title": "Measurement basics", "summary": "Start here."}
    form |= {f"position-{rid}": str(n) for n, rid in enumerate(ids, 1)}
    response = editor_client.submit("/library/paths/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    client.submit(f"/library/{visible[1].id}/done", {"done": "1"})
    path_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/library/paths/{path_id}").get_data(as_text=True)
    assert "1 of 3 done" in page
    assert "Draft step" not in page
    assert page.index("Step 0") < page.index("Step 1") < page.index("Step 2")
    assert "1 of 3 done" in client.get("/library/paths").get_data(as_text=True)
    owner_view = paths.get_path(editor, path_id)
    assert owner_view.total == 3  # the owner's progress counts published steps only


def test_editor_creates_a_draft_through_the_form(as_member):
    client, editor = as_member("editor", tier="executive")
    assert client.get("/library/new").status_code == 200
    response = client.submit(
        "/library/new",
        {
            "kind": "research",
            "title": "Benchmark 2026",
            "summary": "What we found.",
            "body": "# Findings\n\n<script>alert(1)</script>",
            "min_tier": "executive",
            "topics": "Benchmarks, Measurement",
            "authors": f"@{editor.handle}",
            "external_url": "https://example.org/report",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    resource = db.session.scalars(select(Resource)).one()
    assert "<script>" not in resource.body_html
    assert [t.name for t in resource.topics] == ["Benchmarks", "Measurement"]
    too_high = client.submit(
        "/library/new", {"kind": "article", "title": "x", "min_tier": "council"}
    )
    assert too_high.status_code == 400
    bad_link = client.submit(
        "/library/new",
        {
            "kind": "article",
            "title": "Kept title",
            "min_tier": "executive",
            "external_url": "javascript:alert(1)",
        },
    )
    text = bad_link.get_data(as_text=True)
    assert bad_link.status_code == 400 and "http:// or https://" in text
    assert 'value="Kept title"' in text
    member_client, _ = as_member()
    assert member_client.get("/library/new").status_code == 403


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/library",
        "https://evil.example/library/1",
        "/library/\r\nSet-Cookie: session=stolen",  # a header break is not a place to go
        "/\\evil.example",
    ],
)
def test_done_and_follow_go_back_only_to_a_page_of_this_site(as_member, target):
    client, _ = as_member()
    resource = factories.make_resource(_owner(), "Checklist", topics="Measurement")
    done = client.submit(f"/library/{resource.id}/done", {"done": "1", "next": target})
    assert (done.status_code, done.headers["Location"]) == (302, f"/library/{resource.id}")
    follow = client.submit("/library/topics/measurement/follow", {"follow": "1", "next": target})
    assert (follow.status_code, follow.headers["Location"]) == (
        302,
        "/library?topic=measurement",
    )


def test_done_and_follow_still_go_back_to_the_page_they_came_from(as_member):
    client, _ = as_member()
    resource = factories.make_resource(_owner(), "Checklist", topics="Measurement")
    back = "/library?topic=measurement&page=2"
    done = client.submit(f"/library/{resource.id}/done", {"done": "1", "next": back})
    assert done.headers["Location"] == back
    follow = client.submit("/library/topics/measurement/follow", {"follow": "1", "next": back})
    assert follow.headers["Location"] == back
