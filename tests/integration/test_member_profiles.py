"""Profile pages and who may open them: /members/<id>, @mentions, the settings form."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum.models import Post, Reaction
from community.members.models import Member
from tests import factories

TIERS = ("council", "executive", "strategist")
VISIBILITIES = ("all", "tier", "hidden")
STATUSES = ("active", "suspended", "revoked")
# Per request: CSRF tokens (masked afresh at each rendering, or signed: they carry the second)
# and the page's live-updates start.
PER_REQUEST = re.compile(
    r'name="csrf_token"[^>]*value="[^"]*"|[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}'
    r'|data-live-since="[^"]*"'
)


def _page(response) -> str:
    return PER_REQUEST.sub("", response.get_data(as_text=True))


def _expected(viewer_tier: str, visibility: str, status: str) -> bool:
    """The rule as a member reads it, for a target in the Executive tier."""
    if status != "active":
        return False
    if visibility == "all":
        return True
    return visibility == "tier" and viewer_tier in ("council", "executive")


@pytest.mark.parametrize("viewer_tier", TIERS)
def test_profile_page_grid_of_viewer_tier_visibility_and_status(as_member, viewer_tier):
    client, _ = as_member(tier=viewer_tier)
    missing = client.get("/members/999999")
    assert missing.status_code == 404
    for visibility in VISIBILITIES:
        for status in STATUSES:
            target = factories.make_member(tier_slug="executive", status=status)
            factories.set_profile(target, directory_visibility=visibility, bio="Runs supply.")
            response = client.get(f"/members/{target.id}")
            what = f"{viewer_tier} viewer, {visibility} {status} target"
            if _expected(viewer_tier, visibility, status):
                assert response.status_code == 200, what
                assert "Runs supply." in response.get_data(as_text=True), what
            else:
                # Exactly the answer a missing id gets: nothing tells them apart.
                assert response.status_code == 404, what
                assert _page(response) == _page(missing), what


def test_moderators_see_every_profile_and_members_see_their_own(as_member):
    moderator_client, _ = as_member("moderator", tier="strategist")
    hidden = factories.make_member(tier_slug="council", status="revoked")
    factories.set_profile(hidden, directory_visibility="hidden")
    page = moderator_client.get(f"/members/{hidden.id}")
    assert page.status_code == 200
    assert "only moderators see this profile" in page.get_data(as_text=True)

    own_client, me = as_member(tier="strategist")
    factories.set_profile(me, directory_visibility="hidden")
    assert own_client.get(f"/members/{me.id}").status_code == 200


def test_a_suspension_that_is_over_shows_the_profile_again(as_member):
    client, _ = as_member(tier="strategist")
    target = factories.make_member(tier_slug="strategist", status="suspended")
    assert client.get(f"/members/{target.id}").status_code == 404
    target.suspended_until = utcnow()
    commit()
    assert client.get(f"/members/{target.id}").status_code == 200


def test_profile_shows_the_facts_and_only_posts_the_viewer_may_read(as_member):
    client, viewer = as_member(tier="strategist")
    author = factories.make_member(tier_slug="council", name="Ada Quill", level="svp")
    factories.set_profile(
        author,
        bio="Line one.\nLine two <b>bold?</b>",
        region="Nordics",
        company="Quill & Co",
        interests=("supply chain", "m&a"),
    )
    open_room = factories.make_community("open-room", "strategist")
    council_room = factories.make_community("council-room", "council")
    seen = factories.start_thread(author, open_room, "Open question", "Shared with everyone.")
    factories.start_thread(author, council_room, "Council secret", "For the council only.")
    first_post = db.session.scalars(select(Post).where(Post.thread_id == seen.id)).one()
    db.session.add(Reaction(post_id=first_post.id, member_id=viewer.id, kind="like"))
    commit()

    page = client.get(f"/members/{author.id}").get_data(as_text=True)

    for fact in ("Ada Quill", "@ada.quill", "SVP", "Council", "Nordics", "Quill &amp; Co"):
        assert fact in page
    assert "Line one.\nLine two &lt;b&gt;bold?&lt;/b&gt;" in page  # plain text, breaks kept
    assert 'href="/members?interest=supply+chain"' in page
    assert "Open question" in page
    assert "Council secret" not in page
    assert "Reactions received</dt><dd>1</dd>" in page
    assert "Member since" in page


def test_thread_page_links_authors_the_reader_may_see_and_only_them(as_member):
    client, _ = as_member(tier="strategist")
    room = factories.make_community("lobby", "strategist")
    listed = factories.make_member(tier_slug="strategist", name="Listed Person")
    hidden = factories.make_member(tier_slug="strategist", name="Hidden Person")
    factories.set_profile(hidden, directory_visibility="hidden")
    thread = factories.start_thread(listed, room, "Benchmarks", "Who has numbers?")
    factories.add_posts(thread, hidden, 1)

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert f'<a href="/members/{listed.id}">Listed Person</a>' in page
    # Still shown as the author of their posts, by name, but not linked.
    assert "<strong>Hidden Person</strong>" in page
    assert f"/members/{hidden.id}" not in page


def test_mention_links_lead_to_the_profile_under_the_same_rule(as_member):
    client, _ = as_member(tier="strategist")
    grace = factories.make_member(tier_slug="strategist", name="Grace Hopper")
    response = client.get("/members/@grace.hopper")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/members/{grace.id}"
    factories.set_profile(grace, directory_visibility="hidden")
    assert client.get("/members/@grace.hopper").status_code == 404
    assert client.get("/members/@nobody.at.all").status_code == 404


def _profile_form(member: Member, **changes: str) -> dict[str, str]:
    form = {
        "name": member.name,
        "title": member.title,
        "company": member.company,
        "region": member.region,
        "bio": "",
        "interests": "",
        "directory_visibility": "all",
    }
    form.update(changes)
    return form


def test_settings_profile_saves_what_peers_see_but_never_the_level(as_member):
    client, me = as_member(tier="executive")
    form = _profile_form(
        me,
        title="SVP Operations",
        bio="First line\r\nSecond line",
        interests="Supply chain, M&A,  supply   CHAIN , AI",
        directory_visibility="tier",
        level="c_suite",  # not a field here: the account settings judge level changes
    )
    response = client.submit("/settings/profile", form)
    assert response.status_code == 302
    db.session.refresh(me)
    assert me.title == "SVP Operations"
    assert me.bio == "First line\nSecond line"
    assert [interest.tag for interest in me.interests] == ["ai", "m&a", "supply chain"]
    assert me.directory_visibility == "tier"
    assert me.level == "vp"
    page = client.get("/settings/profile").get_data(as_text=True)
    assert 'value="ai, m&amp;a, supply chain"' in page


def test_settings_profile_refusals_keep_what_was_typed(as_member):
    client, me = as_member()
    long_bio = "Twelve words. " * 80
    response = client.submit(
        "/settings/profile", _profile_form(me, bio=long_bio, title="Kept title")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "1000 characters" in page
    assert 'value="Kept title"' in page
    assert "Twelve words." in page

    for interests, message in (
        ("<script>", "is not a tag"),
        (", ".join(f"tag{n}" for n in range(9)), "at most 8 interests"),
    ):
        response = client.submit("/settings/profile", _profile_form(me, interests=interests))
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    response = client.submit("/settings/profile", _profile_form(me, directory_visibility="x"))
    assert response.status_code == 400
    db.session.refresh(me)
    assert me.title != "Kept title"


def test_settings_pages_share_one_nav(as_member):
    client, _ = as_member()
    for url in ("/settings/profile", "/settings/security"):
        page = client.get(url).get_data(as_text=True)
        assert 'href="/settings/profile"' in page
        assert 'href="/settings/security"' in page
