"""The owners' console, the sales-pitch check: owners edit its phrase lists and threshold; each
save is a new version with its author and time; posts and first contacts are checked under the
version in force, and a held post records which version held it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum.models import PitchRules, Post
from community.forum.sales_pitch import CALL_TO_SALES_PHRASES, PRICING_PHRASES
from tests.factories.forum import make_community, start_thread

PITCH = "Our whitepaper bundle answers this: the full picture for your board."


def rules_form(**changes) -> dict:
    data = {
        "base_version": "0",
        "pricing_phrases": "\n".join(PRICING_PHRASES),
        "call_to_sales_phrases": "\n".join(CALL_TO_SALES_PHRASES),
        "threshold": "5",
        "note": "",
    }
    return data | changes


def established(member):
    member.created_at = utcnow() - timedelta(days=60)
    commit()
    return member


@pytest.fixture
def owner(as_member):
    return as_member("owner", name="Olive Owner")


def versions() -> list[PitchRules]:
    db.session.expire_all()
    return list(db.session.scalars(select(PitchRules).order_by(PitchRules.version)))


def test_the_page_shows_the_built_in_rules_as_version_0(owner):
    client, _ = owner
    page = client.get("/admin/sales-pitch").get_data(as_text=True)
    assert "version 0" in page and "book a demo" in page and "Save as version 1" in page


def test_a_saved_phrase_and_threshold_hold_the_next_post_and_name_the_version(owner, as_member):
    client, me = owner
    community = make_community()
    author = established(as_member(tier="strategist")[1])
    before = start_thread(author, community, "Board reporting", PITCH)
    first = db.session.scalars(select(Post).where(Post.thread_id == before.id)).one()
    assert not first.is_held

    pricing = "\n".join([*PRICING_PHRASES, "Whitepaper   Bundle"])
    response = client.submit(
        "/admin/sales-pitch",
        rules_form(pricing_phrases=pricing, threshold="2", note="Bundles are being pushed"),
    )
    assert response.status_code == 302
    [saved] = versions()
    assert saved.version == 1 and saved.created_by_id == me.id and saved.threshold == 2
    assert saved.pricing_phrases[-1] == "whitepaper bundle"  # spaces folded, lowercased
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "pitch_rules.changed")
    )
    assert entry.reason == "Bundles are being pushed"
    assert entry.details["added"] == "whitepaper bundle"
    assert entry.details["threshold_to"] == "2"

    after = start_thread(author, community, "Board reporting again", PITCH)
    held = db.session.scalars(select(Post).where(Post.thread_id == after.id)).one()
    assert held.is_held and '"whitepaper bundle"' in held.held_reason
    assert held.pitch_rules_version == 1
    page = client.get("/admin/sales-pitch").get_data(as_text=True)
    assert "Olive Owner" in page and "Bundles are being pushed" in page


def test_a_removed_phrase_no_longer_counts(owner, as_member):
    client, _ = owner
    community = make_community()
    author = established(as_member(tier="strategist")[1])
    calls = "\n".join(p for p in CALL_TO_SALES_PHRASES if p != "book a demo")
    client.submit("/admin/sales-pitch", rules_form(call_to_sales_phrases=calls, threshold="3"))
    thread = start_thread(author, community, "Demos", "Happy to help: book a demo with me.")
    post = db.session.scalars(select(Post).where(Post.thread_id == thread.id)).one()
    assert not post.is_held and post.pitch_rules_version is None


def test_a_stale_form_saves_nothing_and_keeps_the_text(owner):
    client, _ = owner
    client.submit("/admin/sales-pitch", rules_form(threshold="6"))
    response = client.submit("/admin/sales-pitch", rules_form(threshold="7", note="Mine"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Another owner saved version 1" in page
    assert "Mine" in page
    assert [v.threshold for v in versions()] == [6]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"pricing_phrases": "#hashtag deals"}, "must start with a letter"),
        ({"pricing_phrases": "x" * 61}, "at most 60 characters"),
        ({"threshold": "0"}, "Number must be between 1 and 50"),
        ({"threshold": "many"}, "Not a valid integer value"),
        ({}, "Nothing changed"),
    ],
)
def test_bad_rules_are_form_errors(owner, change, error):
    client, _ = owner
    response = client.submit("/admin/sales-pitch", rules_form(**change))
    assert response.status_code == 400
    assert error in response.get_data(as_text=True)
    assert versions() == []


@pytest.mark.parametrize("role", ["member", "moderator", "editor"])
def test_everyone_but_owners_gets_404(as_member, role):
    client, _ = as_member(role)
    assert client.get("/admin/sales-pitch").status_code == 404
    response = client.submit("/admin/sales-pitch", rules_form(threshold="1"))
    assert response.status_code == 404
    assert versions() == []
