"""Members nominating peers at /nominate, within a monthly quota."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from community.extensions import db
from community.membership.models import MembershipRequest
from community.membership.services import decline_request
from tests import factories


def request_count() -> int:
    return db.session.scalar(select(func.count()).select_from(MembershipRequest))


def nomination(**overrides: str) -> dict[str, str]:
    return factories.form_data(factories.application(**overrides))


def test_the_page_shows_the_nominations_left(as_member):
    client, member = as_member()
    factories.make_request(referrer=member)
    factories.make_request(referrer=factories.make_member())  # someone else's does not count

    page = client.get("/nominate")

    assert page.status_code == 200
    assert "You have <strong>4 of 5</strong> nominations left this month." in page.get_data(
        as_text=True
    )


def test_a_nomination_records_the_referrer(as_member, outbox):
    client, member = as_member(name="Rita Referrer")
    data = nomination(name="Pat Peer", email="pat@bigco.com", level="svp")

    response = client.submit("/nominate", data)
    outbox.drain()  # the worker records the request

    assert response.status_code == 302
    assert response.headers["Location"] == "/nominate"
    page = client.get("/nominate").get_data(as_text=True)
    assert "Thank you. Pat Peer will hear from us by email." in page
    assert "<strong>4 of 5</strong>" in page
    request = db.session.scalars(select(MembershipRequest)).one()
    assert request.referrer_id == member.id
    assert request.email == "pat@bigco.com"
    assert request.eligible is True
    assert request.status == "pending"
    [confirmation] = outbox.to("pat@bigco.com")
    assert "on the nomination of Rita Referrer" in outbox.text(confirmation)


def test_a_nomination_outside_the_policy_says_so(as_member, outbox):
    client, _ = as_member()

    client.submit("/nominate", nomination(name="Max Manager", level="manager"))
    outbox.drain()

    page = client.get("/nominate").get_data(as_text=True)
    assert "Max Manager will hear from us by email; their level is outside the policy." in page
    assert db.session.scalars(select(MembershipRequest)).one().eligible is False


def test_over_the_quota_the_form_comes_back_filled_with_a_clear_error(as_member, outbox):
    client, member = as_member()
    for _ in range(4):
        factories.make_request(referrer=member)
    form_page = client.get("/nominate")  # one left: the member starts filling the form
    assert "<strong>1 of 5</strong>" in form_page.get_data(as_text=True)
    factories.make_request(referrer=member)  # ...and the last one is used meanwhile
    outbox.clear()
    data = nomination(name="Olive Overquota", email="olive@bigco.com", reason="A" * 40)

    page = client.submit("/nominate", data)

    assert page.status_code == 400
    body = html.unescape(page.get_data(as_text=True))
    assert "You have used this month's 5 nominations" in body
    assert "the quota renews on the first of the month" in body
    assert 'value="Olive Overquota"' in body
    assert 'value="olive@bigco.com"' in body
    assert "A" * 40 in body
    assert request_count() == 5
    assert outbox.messages == []


def test_nominating_with_bad_input_writes_nothing(as_member):
    client, _ = as_member()

    page = client.submit("/nominate", nomination(email="not-an-email"))

    assert page.status_code == 400
    assert "Enter a valid email address." in page.get_data(as_text=True)
    assert request_count() == 0


def test_posting_a_referrer_does_not_attribute_the_nomination_to_someone_else(as_member, outbox):
    client, member = as_member()
    other = factories.make_member()

    client.submit("/nominate", {**nomination(), "referrer_id": str(other.id)})
    outbox.drain()

    assert db.session.scalars(select(MembershipRequest)).one().referrer_id == member.id


def test_with_no_nominations_left_the_page_says_so_instead_of_showing_the_form(as_member):
    client, member = as_member()
    for _ in range(5):
        factories.make_request(referrer=member)

    page = client.get("/nominate").get_data(as_text=True)

    assert "<strong>0 of 5</strong>" in page
    assert "You have used this month's nominations." in html.unescape(page)
    assert 'name="reason"' not in page


def test_every_nomination_counts_and_gets_the_same_answer_whoever_the_address_is(as_member, outbox):
    client, _ = as_member()
    moderator = factories.make_member("moderator")
    factories.make_member(email="member@bigco.com")
    factories.make_request(email="pending@bigco.com")
    declined = factories.make_request(email="declined@bigco.com").request
    decline_request(moderator, declined.id, "unverified")
    answers, counters = [], []

    for email in ("member@bigco.com", "pending@bigco.com", "declined@bigco.com", "new@bigco.com"):
        client.submit("/nominate", nomination(name="Pat Peer", email=email, level="svp"))
        page = html.unescape(client.get("/nominate").get_data(as_text=True))
        answers.append("Thank you. Pat Peer will hear from us by email." in page)
        counters.append(re.search(r"<strong>(\d) of 5</strong>", page).group(1))

    assert answers == [True, True, True, True]
    assert counters == ["4", "3", "2", "1"]
    outbox.drain()
    assert request_count() == 3  # the worker recorded only the new address's request
