"""The member directory: visibility in the query, filters, sort, paging, the empty state."""

from __future__ import annotations

import re

from tests import factories


def _names(client, url: str) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return [
        chunk.split(">", 1)[1].split("<", 1)[0]
        for chunk in html.split('class="member-card-name"')[1:]
    ]


def test_the_directory_lists_whom_the_viewer_may_find(as_member):
    client, _ = as_member(tier="executive", name="Aaron Viewer")
    factories.make_member(tier_slug="strategist", name="Bea Open")
    council = factories.make_member(tier_slug="council", name="Cy Council Only")
    factories.set_profile(council, directory_visibility="tier")
    peer = factories.make_member(tier_slug="executive", name="Di Same Tier")
    factories.set_profile(peer, directory_visibility="tier")
    hidden = factories.make_member(tier_slug="strategist", name="Ed Hidden")
    factories.set_profile(hidden, directory_visibility="hidden")
    factories.make_member(tier_slug="strategist", name="Flo Suspended", status="suspended")
    factories.make_member(tier_slug="strategist", name="Gus Revoked", status="revoked")

    names = _names(client, "/members")

    assert names == ["Aaron Viewer", "Bea Open", "Di Same Tier"]
    moderator, _ = as_member("moderator", tier="strategist", name="Mo Derator")
    assert "Ed Hidden" in _names(moderator, "/members")
    assert "Gus Revoked" in _names(moderator, "/members")


def test_filters_narrow_the_list_in_the_query(as_member):
    client, _ = as_member(tier="strategist", name="Zed Viewer")
    ann = factories.make_member(tier_slug="council", name="Ann Alpha", level="evp")
    factories.set_profile(ann, region="Nordics", company="Alpha Foods", interests=("m&a",))
    bob = factories.make_member(tier_slug="executive", name="Bob Beta")
    factories.set_profile(bob, region="Iberia", company="Beta_Bank", interests=("ai", "m&a"))
    hid = factories.make_member(tier_slug="strategist", name="Hal Hidden")
    factories.set_profile(hid, region="Atlantis", interests=("m&a",), directory_visibility="hidden")

    assert _names(client, "/members?tier=council") == ["Ann Alpha"]
    assert _names(client, "/members?level=evp") == ["Ann Alpha"]
    assert _names(client, "/members?region=Iberia") == ["Bob Beta"]
    assert _names(client, "/members?company=alpha") == ["Ann Alpha"]
    assert _names(client, "/members?company=a_b") == ["Bob Beta"]
    assert _names(client, "/members?company=a_f") == []  # "_" is typed text, not a wildcard
    assert _names(client, "/members?interest=M%26A") == ["Ann Alpha", "Bob Beta"]
    assert _names(client, "/members?interest=m%26a&tier=executive") == ["Bob Beta"]
    # A region only a hidden member has is no choice in the filter.
    assert "Atlantis" not in client.get("/members").get_data(as_text=True)


def test_sorts_and_unknown_values_answer_calmly(as_member):
    client, _ = as_member(tier="strategist", name="Mid Member")
    factories.make_member(tier_slug="strategist", name="Zoe Newest")
    room = factories.make_community("talk", "strategist")
    writer = factories.make_member(tier_slug="strategist", name="Al Writer")
    factories.start_thread(writer, room, "Thoughts", "Many of them.")
    assert _names(client, "/members?sort=newest")[0] == "Al Writer"
    assert _names(client, "/members?sort=active")[0] == "Al Writer"
    assert _names(client, "/members?sort=name") == ["Al Writer", "Mid Member", "Zoe Newest"]
    for query in ("sort=%27;drop", "tier=nope", "level=emperor", "page=-4", "page=abc"):
        assert client.get(f"/members?{query}").status_code == 200


def test_an_empty_result_says_so_and_offers_to_clear(as_member):
    client, _ = as_member()
    page = client.get("/members?interest=underwater+basket+weaving").get_data(as_text=True)
    assert "No member you can see matches these filters." in page
    assert 'href="/members">Clear the filters' in page


def test_pages_of_thirty(as_member):
    client, _ = as_member(tier="strategist", name="Aa First")
    for n in range(30):
        factories.make_member(tier_slug="strategist", name=f"Member {n:02d}")
    assert len(_names(client, "/members")) == 30
    assert _names(client, "/members?page=2") == ["Member 29"]


def test_the_header_links_to_the_directory(as_member):
    client, _ = as_member()
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/members"[^>]*>Members</a>', page)
