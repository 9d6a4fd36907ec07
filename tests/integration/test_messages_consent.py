"""Contact by consent: the grid of sender tier x recipient tier x preference, what the contact
button offers, and the settings form that sets the preference."""

from __future__ import annotations

import itertools

import pytest
from flask import render_template_string
from flask_login import login_user

from community import access
from tests import factories

TIERS = ("strategist", "executive", "council")  # lowest rank first
RANK = {slug: n for n, slug in enumerate(TIERS)}


def expected(sender_tier: str, recipient_tier: str, preference: str) -> str:
    if preference == "all_members":
        return "message"
    if preference == "nobody":
        return "nothing"
    return "message" if RANK[sender_tier] >= RANK[recipient_tier] else "introduce"


GRID = list(itertools.product(TIERS, TIERS, ("all_members", "tier_and_above", "nobody")))


@pytest.mark.parametrize(("sender_tier", "recipient_tier", "preference"), GRID)
def test_the_consent_grid(app, sender_tier, recipient_tier, preference):
    sender = factories.make_member(tier_slug=sender_tier)
    recipient = factories.set_preference(
        factories.make_member(tier_slug=recipient_tier), preference
    )

    option = access.contact_option(sender, recipient)

    assert (option.value if option else "nothing") == expected(
        sender_tier, recipient_tier, preference
    )
    assert access.can_message(sender, recipient) == (option == access.ContactOption.MESSAGE)
    assert access.can_ask_introduction(sender, recipient) == (
        option == access.ContactOption.INTRODUCE
    )


def test_the_rule_is_the_same_for_moderators_and_nobody_messages_themselves(app):
    moderator = factories.make_member("moderator", "strategist")
    council = factories.make_member(tier_slug="council")
    assert access.contact_option(moderator, council) == access.ContactOption.INTRODUCE
    assert access.contact_option(council, council) is None


def test_a_revoked_member_offers_no_contact(app):
    sender = factories.make_member()
    gone = factories.set_preference(factories.make_member(status="revoked"), "all_members")
    assert access.contact_option(sender, gone) is None


BUTTON = '{% include "messages/_contact_button.html" ignore missing %}'


@pytest.mark.parametrize(
    ("viewer_tier", "preference", "shows"),
    [
        ("council", "tier_and_above", "Message"),
        ("strategist", "tier_and_above", "Ask for an introduction"),
        ("strategist", "nobody", None),
    ],
)
def test_the_contact_button_on_a_profile(app, viewer_tier, preference, shows):
    viewer = factories.make_member(tier_slug=viewer_tier)
    member = factories.set_preference(factories.make_member(tier_slug="council"), preference)
    with app.test_request_context():
        viewer.session_token = "test"
        login_user(viewer)
        html = render_template_string(BUTTON, member=member)
        own = render_template_string(BUTTON, member=viewer)
    assert own.strip() == ""  # never a button to oneself
    if shows is None:
        assert html.strip() == ""
    else:
        assert shows in html
        target = (
            f"/messages/new?to={member.id}"
            if shows == "Message"
            else f"/messages/introduce/{member.id}"
        )
        assert target in html


def test_the_contact_settings_form_saves_the_choice_and_refuses_a_made_up_one(as_member):
    client, member = as_member()
    page = client.get("/settings/contact")
    assert page.status_code == 200
    assert 'checked id="preference-1"' in page.get_data(as_text=True)  # tier and above

    response = client.submit("/settings/contact", {"preference": "nobody"})
    assert response.status_code == 302
    assert member.contact_preference == "nobody"

    refused = client.submit("/settings/contact", {"preference": "everyone-and-their-dog"})
    assert refused.status_code == 400
    assert member.contact_preference == "nobody"
