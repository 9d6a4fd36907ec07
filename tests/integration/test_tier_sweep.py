"""The review's method as a standing test: every GET and POST route of the url map, tried by a
Strategist against a Council-tier object and against an id that names nothing, must answer the
same (status, page once the CSRF token is set aside, redirect, flashed messages), and nothing
in the answer (headers, page, flashed messages) may carry the hidden objects' text.

A new route is covered as soon as its path arguments have a name below; a route whose
arguments cannot name a hidden object is listed in NOT_OBJECTS with the reason, and a route
that is neither fails the test, so none is skipped silently."""

from __future__ import annotations

import difflib
import re

from flask import Flask
from werkzeug.routing import Rule

from tests.route_sweep import (
    MARKER,
    PATH_ARGUMENT,
    World,
    build_world,
    csrf_token,
    fill,
    path_arguments,
    routes,
)

# Rules whose arguments name no tiered object, and why.
NOT_OBJECTS = {
    "static": "files shipped with the app, the same for everyone",
    "members.reset_password": "a secret token from an email, not an object's id",
    "membership.accept_invitation": "a secret token from an email, not an object's id",
    "notifications.unsubscribe": "a signed token from an email, not an object's id",
    "members.end_session": "a member's own signed-in session, not tiered: another member's "
    "session answers 404 like a missing one (tests/integration/test_sessions.py)",
    "account.confirm_email_change": "a secret token from an email, not an object's id",
    "moderation.approve_level_change": "a member's own request, not tiered: moderators only "
    "(tests/integration/test_level_change.py)",
    "moderation.decline_level_change": "a member's own request, not tiered: moderators only "
    "(tests/integration/test_level_change.py)",
    "profiles.photo": "a content-hashed photo file, for every signed-in member: a hidden "
    "member's photo still shows on their posts (tests/integration/test_member_photos.py)",
    "metrics.report_download": "a report's name, not an object: owners only, everyone else "
    "404 (tests/integration/test_metrics_dashboard.py)",
    "leave.download_export": "a random key to one member's own export: anyone else, "
    "moderators included, gets 404 (tests/integration/test_data_export.py)",
    "admin.resend_invitation": "an invitation, not tiered: owners only, everyone else 404 "
    "(tests/integration/test_owners_invitations.py)",
    "admin.revoke_invitation": "an invitation, not tiered: owners only, everyone else 404 "
    "(tests/integration/test_owners_invitations.py)",
    "calendar.feed_file": "a secret token to one member's own calendar feed, which lists only "
    "the events their tier reaches (tests/integration/test_calendar_feed.py)",
    "composer.image": "a random key to a pasted picture, which follows the post showing it: a "
    "council thread's picture answers a strategist 404 like a missing one "
    "(tests/integration/test_post_images.py)",
    "profiles.profile_by_handle": "a member's handle, under the profile rule, not tiers: a "
    "hidden one answers 404 like an unknown one (tests/integration/test_member_profiles.py)",
}
# Private conversations and introductions belong to their participants, not to a tier: anyone
# else gets 404, exactly like a missing id (tests/integration/test_messages_*.py).
NOT_OBJECTS |= dict.fromkeys(
    (
        "messages.conversation",
        "messages.reply",
        "messages.messages_after",
        "messages.add_participant",
        "messages.mute",
        "messages.leave",
        "messages.report",
        "messages.resolve",
        "messages.accept_introduction",
        "messages.decline_introduction",
    ),
    "a private conversation or introduction: its participants only, not tiered",
)
# Where an argument's name means another kind of object on one route.
ARGUMENT_FOR = {("library.follow", "slug"): "topic"}

# References to objects that views read from the query string or the form, sent with every
# request: a page that accepts them must not show the hidden object's text either.
REFERENCES = {
    "quote": "post_id",
    "topic": "topic",
    "community": "slug",
    "recording": "resource_id",
    "muted": "community_id",
    "option": "option_id",
    "thread_id": "thread_id",
}

# The per-request bits of a page: CSRF tokens (masked afresh at each rendering, or signed),
# and the moment the page was made (from which its live updates start).
SIGNED_TOKEN = re.compile(
    r'(?<=name="csrf_token")[^>]*value="[^"]*"|[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}'
)
LIVE_SINCE = re.compile(r'data-live-since="[^"]*"')


# Headers that count requests or stamp them.
PER_REQUEST_HEADERS = {"Set-Cookie", "Content-Length", "Date", "X-RateLimit-Remaining"}
PER_REQUEST_HEADERS |= {"X-RateLimit-Reset", "Retry-After"}


def normalised(text: str, urls: list[str]) -> str:
    """``text`` without the per-request bits, and with the URL asked for (and its parts up to
    each id: a POST to /events/7/rsvp redirects to /events/7) as <url>."""
    text = SIGNED_TOKEN.sub("<token>", text)
    text = LIVE_SINCE.sub('data-live-since="<now>"', text)
    for url in urls:
        text = text.replace(url, "<url>")
    return text


def filled_prefixes(rule, value_for) -> list[str]:
    """The rule's path filled in, then cut after each argument, longest first."""
    ends = [match.end() for match in PATH_ARGUMENT.finditer(rule.rule)]
    prefixes = [fill(Rule(rule.rule[:end]), value_for) for end in ends]
    return [fill(rule, value_for), *reversed(prefixes)]


class Probe:
    def __init__(self, client, member_email: str) -> None:
        self.client = client
        self.email = member_email
        self.token = csrf_token(client)

    def answer(self, rule, method: str, values: dict[str, str]) -> tuple[str, dict]:
        """The request to ``rule`` with ``values``, and what the member could see of the answer."""

        def value_for(name: str) -> str:
            return values[ARGUMENT_FOR.get((rule.endpoint, name), name)]

        urls = filled_prefixes(rule, value_for)
        url = urls[0]
        references = {field: values[name] for field, name in REFERENCES.items()}
        if method == "GET":
            response = self.client.get(url, query_string=references)
        else:
            response = self.client.post(url, data=references | {"csrf_token": self.token})
        body = response.get_data().decode("utf-8", "replace")  # /favicon.ico is not text
        response.close()
        with self.client.session_transaction() as session:
            flashes = session.pop("_flashes", [])
        if rule.endpoint in ("members.logout", "members.login"):
            self.client.sign_in(self.email)
            self.token = csrf_token(self.client)
        headers = {
            key: normalised(value, urls)
            for key, value in response.headers.items()
            if key not in PER_REQUEST_HEADERS
        }
        seen = {
            "status": response.status_code,
            "headers": headers,
            "flashes": normalised(str(flashes), urls),
            "body": normalised(body, urls),
        }
        return url, seen


def _lines(part: str, value) -> list[str]:
    if part == "headers":
        return [f"{key}: {text}" for key, text in value.items()]
    return str(value).splitlines()


def difference(hidden: dict, missing: dict, parts: list[str]) -> str:
    """The first lines where the two answers part, for the failure message."""
    said = []
    for part in parts:
        lines = difflib.unified_diff(
            _lines(part, missing[part]), _lines(part, hidden[part]), n=0, lineterm=""
        )
        changed = [line.strip()[:160] for line in lines if line[:1] in "+-"][2:6]
        said.append(f"{part} differs (- missing, + hidden): {changed}")
    return "; ".join(said)


def leaks(seen: dict) -> list[str]:
    return [part for part, text in seen.items() if MARKER in str(text).lower()]


def unfilled_rules(app: Flask, world: World) -> list[str]:
    return [
        f"{rule.endpoint} {rule.rule}"
        for rule, _ in routes(app)
        if rule.endpoint not in NOT_OBJECTS
        and any(
            ARGUMENT_FOR.get((rule.endpoint, name), name) not in world.values
            for name in path_arguments(rule)
        )
    ]


def test_a_strategist_cannot_tell_a_council_object_from_a_missing_one(app, as_member):
    owner = as_member("owner")[1]
    world = build_world(owner)
    assert not unfilled_rules(app, world), (
        "name these arguments in ARGUMENT_FOR, or list the rule in NOT_OBJECTS with the reason"
    )
    client, strategist = as_member(tier="strategist")
    probe = Probe(client, strategist.email)
    findings, tried = [], 0
    for rule, methods in routes(app):
        if rule.endpoint in NOT_OBJECTS:
            continue
        for method in methods:
            tried += 1
            hidden_url, hidden = probe.answer(rule, method, world.values)
            where = f"{method} {hidden_url} ({rule.endpoint})"
            if leaked := leaks(hidden):
                findings.append(f"{where}: the hidden object's text is in the {leaked}")
            if not path_arguments(rule):
                continue
            _, missing = probe.answer(rule, method, world.missing)
            if differing := [part for part in hidden if hidden[part] != missing[part]]:
                findings.append(f"{where}: {difference(hidden, missing, differing)}")
    assert tried > 90
    assert not findings, f"{len(findings)} of {tried} rules tell:\n" + "\n".join(findings)
