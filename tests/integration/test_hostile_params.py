"""Every route's parameters, fed out-of-range and malformed values (the review's item 23): ids
past 32 and 64 bits, negative and zero ids, garbage in ``page``, ``since`` and ``month``, NUL
bytes, path characters and 10 KB strings, in the path, the query string and the form. Whatever
comes in, the answer is a 404, a 400 or a form error: never a 5xx."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

from tests import factories
from tests.route_sweep import World, build_world, csrf_token, fill, path_arguments, routes

# In the path of every rule, for a visitor: the converters and routing turn each away.
HOSTILE = ["0", "-1", str(2**31), str(2**63), str(10**30), "abc", "\x00", "../x", "9" * 10_000]
# In the path for the owner, whose requests reach the views: ids that pass routing but name
# nothing, ids that do not, and text where a number belongs.
HOSTILE_PATH_SIGNED_IN = [str(2**31 - 1), str(2**63), "abc"]
# In every query parameter and form field, with real objects in the path: a page of 0, a digit
# that int() refuses, a number past 64 bits, a NUL byte with path characters.
HOSTILE_FIELDS = ["0", "²", str(10**30), "\x00../x"]
LONG = "x" * 10_000  # in one field of each request: in every field it would be slow

# Query parameters the views read, besides the forms' fields.
QUERY_NAMES = [
    "page", "per_page", "since", "until", "month", "quote", "q", "kind", "topic", "sort",
    "next", "action", "actor", "target", "tier", "level", "status",
]  # fmt: skip
# Form fields the views read straight from request.form.
RAW_FORM_NAMES = [
    "reason", "text", "decision", "note", "action", "handle", "assignee", "community", "option",
    "level", "done", "follow", "next", "to", "kind", "answer", "recording", "muted", "page",
    "email", "position-1", "position-99999999999999999999",
]  # fmt: skip


def form_field_names() -> set[str]:
    """Every field name of every form class in the app, so a new form is fed too."""
    names: set[str] = set(RAW_FORM_NAMES)
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        names.update(
            name for name in dir(form_class) if isinstance(getattr(form_class, name), UnboundField)
        )
    names.discard("csrf_token")
    return names


class Sweep:
    def __init__(self, client, signed_in_as: str | None = None) -> None:
        self.client = client
        self.signed_in_as = signed_in_as
        self.token = csrf_token(client)
        self.field_names = sorted(form_field_names())
        self.failures: list[str] = []
        self.count = 0

    def send(self, rule, method: str, url: str, value: str) -> None:
        query = {name: value[:100] for name in QUERY_NAMES} | {"q": LONG}
        form = {name: value for name in self.field_names}
        form |= {"csrf_token": self.token, "note": LONG}
        self.count += 1
        try:  # under TESTING an error escapes as the exception rather than a 500 page
            if method == "GET":
                response = self.client.get(url, query_string=query)
            else:
                response = self.client.post(url, query_string=query, data=form)
            response.close()  # a file download holds the file open until then
            status = response.status_code
        except Exception as error:  # each one is a finding, listed below
            status = f"{type(error).__name__}: {str(error)[:80]}"
        if not isinstance(status, int) or status >= 500:
            where = f"{method} {rule.endpoint} {url[:60]}"
            self.failures.append(f"{where} (fields {value[:12]!r}): {status}")
        if rule.endpoint == "members.logout" and self.signed_in_as:
            self.client.sign_in(self.signed_in_as)
            self.token = csrf_token(self.client)

    def run_as_visitor(self, app: Flask) -> None:
        for rule, methods in routes(app):
            if path_arguments(rule):
                for method in methods:
                    for value in HOSTILE:
                        self.send(rule, method, fill(rule, lambda _name, v=value: v), "")
            else:
                for method in methods:
                    self.send(rule, method, rule.rule, "\x00")

    def run_signed_in(self, app: Flask, world: World) -> None:
        for rule, methods in routes(app):
            if path_arguments(rule):
                for value in HOSTILE_PATH_SIGNED_IN:
                    self.send(rule, methods[-1], fill(rule, lambda _name, v=value: v), "")
            url = fill(rule, lambda name: world.values.get(name, "x"))
            for method in methods:
                for value in HOSTILE_FIELDS:
                    self.send(rule, method, url, value)


@pytest.mark.parametrize("who", ["owner", "visitor"])
def test_no_route_answers_hostile_parameters_with_a_server_error(app, client, as_member, who):
    if who == "owner":
        client, owner = as_member("owner")
        sweep = Sweep(client, signed_in_as=owner.email)
        sweep.run_signed_in(app, build_world(owner))
    else:
        sweep = Sweep(client)
        sweep.run_as_visitor(app)
    assert sweep.count > 300
    assert not sweep.failures, f"{len(sweep.failures)} of {sweep.count}:\n" + "\n".join(
        sweep.failures[:60]
    )


@pytest.mark.parametrize(
    "url", ["/t/99999999999999999999", "/t/2147483648", "/t/-1", "/t/0", "/p/9223372036854775808"]
)
def test_an_id_past_what_a_row_can_have_is_not_found(as_member, url):
    client, _ = as_member("owner")
    assert client.get(url).status_code == 404


def test_an_out_of_range_quote_is_ignored_not_an_error(as_member):
    client, owner = as_member("owner")
    world = build_world(owner)
    response = client.get(f"/t/{world.values['thread_id']}?quote={10**30}")
    assert response.status_code == 200


EVENT_FORM = {
    "title": "Board readiness clinic",
    "description": "",
    "starts_at": "2027-06-01T18:00",
    "ends_at": "2027-06-01T20:00",
    "timezone": "Europe/Paris",
    "location": "Paris",
    "link": "",
    "capacity": "",
    "min_tier": "strategist",
}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"timezone": "Europe"}, "Choose a time zone from the list."),  # a folder of zones
        ({"timezone": "../../etc/passwd"}, "Choose a time zone from the list."),
        ({"timezone": "x" * 10_000}, "Choose a time zone from the list."),
        ({"timezone": "zone.tab"}, "Choose a time zone from the list."),
        ({"starts_at": "2026-02-30T18:00"}, "Not a valid datetime value."),
        ({"starts_at": "0000-01-01T18:00"}, "Not a valid datetime value."),
        ({"ends_at": "99999-01-01T18:00"}, "Not a valid datetime value."),
        (
            {"starts_at": "0001-01-01T00:00", "timezone": "Asia/Tokyo"},
            "Choose a date between the years 2 and 9998.",
        ),
        (
            {"ends_at": "9999-12-31T23:00", "timezone": "America/Los_Angeles"},
            "Choose a date between the years 2 and 9998.",
        ),
    ],
)
def test_an_event_with_a_bad_zone_or_date_is_a_form_error_that_keeps_the_title(
    as_member, overrides, message
):
    client, _ = as_member("owner")
    response = client.submit("/events/new", EVENT_FORM | overrides)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Board readiness clinic"' in page


def test_scheduling_at_the_start_of_the_calendar_is_a_form_error(as_member):
    client, owner = as_member("owner")
    resource = factories.make_resource(owner, status="in_review")
    response = client.submit(
        f"/library/{resource.id}/transition",
        {
            "to": "scheduled",
            "publish_date": "0001-01-01",
            "publish_time": "00:30",
            "time_zone": "Asia/Singapore",
        },
    )
    assert response.status_code == 400  # the same calendar bounds as events
    assert "Choose a date between the years 2 and 9998." in response.get_data(as_text=True)


@pytest.mark.parametrize("month", ["99999-01", "0-1", "2026-13", "2026-0", "²-1", "-1"])
def test_a_calendar_month_out_of_range_is_not_found(as_member, month):
    client, _ = as_member("owner")
    assert client.get(f"/library/calendar?month={month}").status_code == 404


@pytest.mark.parametrize(
    "since", ["garbage", "0000-01-01T00:00:00+00:00", "2026-02-30T00:00:00+00:00", "9" * 10_000]
)
def test_a_malformed_since_is_a_400_that_says_what_is_expected(as_member, since):
    client, _ = as_member()
    response = client.get("/notifications/since", query_string={"since": since})
    assert response.status_code == 400
    assert "ISO 8601" in response.get_json()["error"]


def test_a_nul_character_is_refused_with_a_400_before_it_reaches_the_database(as_member):
    """PostgreSQL text cannot hold NUL: a reply or a search with one was a 500 there."""
    client, owner = as_member("owner")
    world = build_world(owner)
    thread = world.values["thread_id"]
    response = client.submit(f"/t/{thread}/reply", {"body": "Agreed.\x00 See the figures."})
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    assert "See the figures" not in client.get(f"/t/{thread}").get_data(as_text=True)
    assert client.get("/library", query_string={"q": "a\x00b"}).status_code == 400
    assert client.get("/c/%00").status_code == 400
