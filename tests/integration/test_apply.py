"""The public request form at /apply, through the browser's eyes."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.members.models import Member
from community.membership import services
from community.membership.models import Invitation, MembershipRequest
from tests import factories


def request_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MembershipRequest))


def stored(email: str) -> MembershipRequest:
    return db.session.scalars(
        select(MembershipRequest).where(MembershipRequest.email == email)
    ).one()


def main_text(page) -> str:
    """The page's main content as a reader sees it: tags dropped, whitespace collapsed."""
    body = page.get_data(as_text=True)
    match = re.search(r"<main[^>]*>(.*)</main>", body, re.S)
    assert match, "no <main> on the page"
    text = re.sub(r"<[^>]+>", " ", match.group(1))
    return " ".join(html.unescape(text).split())


def good_form(**overrides: str) -> dict[str, str]:
    return factories.form_data(factories.application(**overrides))


def test_the_form_shows_the_published_policy(client):
    page = client.get("/apply")

    assert page.status_code == 200
    text = main_text(page)
    assert "The membership policy (version 1)" in text
    assert "C-Suite, EVP, SVP, VP, Director" in text
    assert 'name="reason"' in page.get_data(as_text=True)


def test_an_eligible_request_is_stored_with_policy_version_and_verdict(client, outbox):
    data = good_form(email="Jane.Doe@BigCo.com", name="  Jane Doe  ")

    page = client.submit("/apply", data)
    outbox.drain()  # the worker records the request

    assert page.status_code == 200
    assert "We have your request" in main_text(page)
    assert "Against the current policy" not in main_text(page)
    assert request_count() == 1
    request = stored("jane.doe@bigco.com")
    assert request.name == "Jane Doe"
    assert request.level == "c_suite"
    assert request.policy_version == 1
    assert request.eligible is True
    assert request.failed_rule == ""
    assert request.status == "pending"
    assert request.referrer_id is None
    [confirmation] = outbox.to("jane.doe@bigco.com")
    assert "It meets the current membership policy" in outbox.text(confirmation)


def test_an_ineligible_level_is_stored_and_the_failed_rule_shown(client, outbox):
    data = good_form(level="manager")

    page = client.submit("/apply", data)
    outbox.drain()

    assert page.status_code == 200
    text = main_text(page)
    assert "We have your request" in text
    assert "Against the current policy" in text
    assert "Manager is not among them" in text
    request = stored(data["email"])
    assert request.eligible is False
    assert "Manager is not among them" in request.failed_rule
    assert request.policy_version == 1
    [confirmation] = outbox.to(data["email"])
    assert "Manager is not among them" in outbox.text(confirmation)


def test_a_personal_mail_address_is_stored_as_failing_the_work_email_rule(client, outbox):
    page = client.submit("/apply", good_form(email="someone@gmail.com"))
    outbox.drain()

    assert page.status_code == 200
    assert "gmail.com is a personal mail provider" in main_text(page)
    assert stored("someone@gmail.com").eligible is False


REQUIRED = ["name", "email", "title", "level", "company", "region", "reason"]


@pytest.mark.parametrize("field", REQUIRED)
def test_each_missing_required_field_is_refused_with_nothing_written(client, outbox, field):
    data = good_form()
    data[field] = ""

    page = client.submit("/apply", data)

    assert page.status_code == 400
    body = page.get_data(as_text=True)
    # The error sits next to the field at fault, and the form comes back filled.
    field_block = re.search(
        rf'<div class="field has-error">\s*<label for="{field}".*?</div>', body, re.S
    )
    assert field_block, f"no error shown for {field}"
    expected = "Choose a level." if field == "level" else "This field is required."
    assert expected in field_block.group(0)
    assert html.escape(data["company" if field != "company" else "name"]) in body
    assert request_count() == 0
    assert outbox.messages == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "N" * 121, "Field cannot be longer than 120 characters."),
        ("title", "T" * 121, "Field cannot be longer than 120 characters."),
        ("company", "C" * 121, "Field cannot be longer than 120 characters."),
        ("region", "R" * 81, "Field cannot be longer than 80 characters."),
        ("reason", "r" * 2001, "Field must be between 20 and 2000 characters long."),
        ("reason", "Too short.", "Field must be between 20 and 2000 characters long."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "a@b", "Enter a valid email address."),
        ("level", "ceo", "Not a valid choice."),
        ("profile_url", "javascript:alert(1)", "Enter a full web address starting with https://"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_written(
    client, outbox, field, value, message
):
    data = good_form()
    data[field] = value

    page = client.submit("/apply", data)

    assert page.status_code == 400
    body = page.get_data(as_text=True)
    field_block = re.search(
        rf'<div class="field has-error">\s*<label for="{field}".*?</div>', body, re.S
    )
    assert field_block, f"no error shown for {field}"
    assert html.escape(message) in field_block.group(0)
    assert request_count() == 0
    assert outbox.messages == []


def test_a_form_without_the_csrf_token_is_refused_and_nothing_written(client, outbox):
    page = client.post("/apply", data=good_form())

    assert page.status_code == 400
    assert "The form expired or was sent from another site" in main_text(page)
    assert request_count() == 0
    assert outbox.messages == []


def test_a_forged_csrf_token_is_refused(client):
    page = client.post("/apply", data={**good_form(), "csrf_token": "forged"})

    assert page.status_code == 400
    assert request_count() == 0


def _answer_for_fresh_email(client):
    fresh = client.submit("/apply", good_form())
    assert fresh.status_code == 200
    return fresh.status_code, main_text(fresh)


def test_a_second_open_request_gets_the_same_answer_and_an_explanatory_email(client, outbox):
    first = factories.make_request(email="twice@bigco.com")
    outbox.clear()

    again = client.submit("/apply", good_form(email="Twice@BigCo.com", name="Twice Again"))

    assert request_count() == 1
    assert stored("twice@bigco.com").id == first.request.id
    assert (again.status_code, main_text(again)) == _answer_for_fresh_email(client)
    [notice] = outbox.to("twice@bigco.com")
    assert notice["Subject"] == "Your Council request is still under review"
    assert "nothing new was recorded" in outbox.text(notice)


def test_applying_during_the_cool_down_gets_the_same_answer_and_an_email(client, outbox, as_member):
    _, moderator = as_member("moderator")
    declined = factories.make_request(email="declined@bigco.com")
    services.decline_request(moderator, declined.request.id, "unverified")
    outbox.clear()

    again = client.submit("/apply", good_form(email="declined@bigco.com"))

    assert request_count() == 1
    assert (again.status_code, main_text(again)) == _answer_for_fresh_email(client)
    [notice] = outbox.to("declined@bigco.com")
    assert notice["Subject"] == "About your request to join Council"
    assert "you may apply again from" in outbox.text(notice)
    assert "Nothing new was recorded" in outbox.text(notice)


def test_applying_with_a_member_email_gets_the_same_answer_and_an_email(client, outbox):
    factories.make_member(email="inside@example-corp.com")

    again = client.submit("/apply", good_form(email="inside@example-corp.com"))

    assert request_count() == 0
    assert (again.status_code, main_text(again)) == _answer_for_fresh_email(client)
    [notice] = outbox.to("inside@example-corp.com")
    assert notice["Subject"] == "You are already a Council member"
    assert "already belongs to a member account" in outbox.text(notice)


def test_extra_posted_fields_do_not_change_what_is_stored(client, outbox):
    data = good_form(level="manager")
    data.update(
        tier="council",
        tier_id="1",
        role="owner",
        status="approved",
        eligible="1",
        failed_rule="",
        policy_version="99",
        referrer_id="1",
        decided_by_id="1",
    )

    page = client.submit("/apply", data)
    outbox.drain()

    assert page.status_code == 200
    request = stored(data["email"])
    assert request.status == "pending"
    assert request.eligible is False
    assert "Manager is not among them" in request.failed_rule
    assert request.policy_version == 1
    assert request.referrer_id is None
    assert request.decided_by_id is None
    assert db.session.scalar(select(func.count()).select_from(Member)) == 0
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
