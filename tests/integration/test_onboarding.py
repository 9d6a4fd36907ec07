"""The welcome after accepting an invitation, and the community guidelines page."""

from __future__ import annotations

from tests import factories


def test_welcome_asks_for_a_photo_and_bio_and_suggests_what_the_member_can_open(as_member):
    owner = factories.make_member("owner")
    factories.make_community("open-forum", "strategist", name="Open Forum", post_count=40)
    factories.make_community("quiet-corner", "strategist", name="Quiet Corner", post_count=1)
    factories.make_community("council-room", "council", name="Council Room", post_count=99)
    factories.make_resource(owner, topics="Supply chain")
    factories.make_resource(owner, topics="Boardroom secrets", tier_slug="council")
    client, me = as_member(tier="strategist")
    factories.set_profile(me, interests=("supply chain",))

    page = client.get("/welcome").get_data(as_text=True)

    assert 'name="photo"' in page and 'name="bio"' in page
    assert page.index("Open Forum") < page.index("Quiet Corner")  # most active first
    assert "Council Room" not in page
    assert "Supply chain" in page
    assert "Boardroom secrets" not in page
    assert 'href="/guidelines"' in page
    assert 'href="/">Done: take me to Council' in page  # skippable, at every step


def test_welcome_saves_the_bio_and_keeps_the_rest_of_the_profile(as_member):
    client, me = as_member(name="Nia New")
    factories.set_profile(me, interests=("ai",), directory_visibility="tier")
    response = client.submit("/welcome", {"bio": "I run operations at a bank."})
    assert response.status_code == 302
    client.get("/")
    assert me.bio == "I run operations at a bank."
    assert [interest.tag for interest in me.interests] == ["ai"]
    assert me.directory_visibility == "tier"

    refused = client.submit("/welcome", {"bio": "x" * 1001})
    assert refused.status_code == 400
    assert "x" * 1001 in refused.get_data(as_text=True)


def test_the_guidelines_have_their_own_page_open_to_visitors(client):
    page = client.get("/guidelines")
    assert page.status_code == 200
    assert "Education, not sales" in page.get_data(as_text=True)
