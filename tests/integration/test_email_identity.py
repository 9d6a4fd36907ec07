"""Addresses equal under NFKC or case are one person: one request, one account."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from community.extensions import db
from community.members.models import Member
from community.members.services import create_owner
from community.membership.models import MembershipRequest
from tests import factories

FULLWIDTH_ALICE = "ＡＬＩＣＥ@Example.COM"  # noqa: RUF001 - fullwidth on purpose
CYRILLIC_MIX = "\u0430lice@example.com"  # CYRILLIC SMALL LETTER A, then Latin "lice"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def form(email: str, name: str = "Alice Example") -> dict[str, str]:
    return factories.form_data(factories.application(email=email, name=name))


def test_a_fullwidth_address_and_its_plain_form_are_one_request(client, outbox):
    client.submit("/apply", form(FULLWIDTH_ALICE))
    client.submit("/apply", form("alice@example.com"))
    outbox.drain()

    [request] = db.session.scalars(select(MembershipRequest))
    assert request.email == "alice@example.com"
    assert [m["Subject"] for m in outbox.to("alice@example.com")] == [
        "We received your request to join Council",
        "Your Council request is still under review",
    ]


def test_a_fullwidth_address_signs_in_and_resets_the_same_account(client, outbox):
    member = factories.make_member(email="alice@example.com")

    client.sign_in(FULLWIDTH_ALICE)
    client.submit("/password/forgot", {"email": FULLWIDTH_ALICE})

    [reset] = outbox.to(member.email)
    assert reset["Subject"] == "Reset your Council password"


def test_create_owner_with_a_fullwidth_address_promotes_the_same_account(app):
    member = factories.make_member(email="alice@example.com")

    owner = create_owner(FULLWIDTH_ALICE, "Alice Example", "a long and varied passphrase 42")

    assert owner.id == member.id
    assert count(Member) == 1


def test_a_mixed_script_address_is_refused_on_apply_keeping_what_was_typed(client, outbox):
    page = client.submit("/apply", form(CYRILLIC_MIX, name="Mallory Mix"))

    assert page.status_code == 400
    body = html.unescape(page.get_data(as_text=True))
    assert "mixes letters from different alphabets" in body
    assert 'value="Mallory Mix"' in body
    outbox.drain()
    assert count(MembershipRequest) == 0


def test_a_mixed_script_address_is_refused_on_nominate(as_member, outbox):
    client, _ = as_member()

    page = client.submit("/nominate", form(CYRILLIC_MIX))

    assert page.status_code == 400
    assert "mixes letters from different alphabets" in html.unescape(page.get_data(as_text=True))
    assert "<strong>5 of 5</strong>" in page.get_data(as_text=True)
