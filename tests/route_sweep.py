"""Helpers for the tests that walk every route of the url map (what `community routes` prints)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from community.core.events import commit
from community.extensions import db
from community.forum import services as forum
from community.forum.models import Community, Poll, PollOption
from community.forum.polls import PollDraft
from community.library import paths, workflow
from community.library import services as library
from community.library.attachments import Upload
from community.members.models import Member
from community.notifications.models import Notification
from tests import event_factories, factories
from tests.client import CSRF_PATTERN, FormClient
from tests.conftest import run_queued_work

PATH_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def routes(app: Flask) -> Iterator[tuple[Rule, list[str]]]:
    """Every rule with the methods a browser would send to it (GET and POST), in a stable order."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        methods = sorted(m for m in rule.methods or () if m in ("GET", "POST"))
        if methods:
            yield rule, methods


def rule_id(rule: Rule) -> str:
    return f"{rule.endpoint} {rule.rule}"


def fill(rule: Rule, value_for: Callable[[str], str]) -> str:
    """The rule's path with each argument replaced by ``value_for(name)``, percent-encoded."""
    return PATH_ARGUMENT.sub(lambda m: quote(value_for(m.group(1)), safe=""), rule.rule)


def path_arguments(rule: Rule) -> list[str]:
    return PATH_ARGUMENT.findall(rule.rule)


def csrf_token(client: FormClient) -> str:
    """The signed-in session's CSRF token, read once (it stays valid for the session)."""
    page = client.get("/password/forgot")
    match = CSRF_PATTERN.search(page.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


@dataclass(frozen=True)
class World:
    """One Council-tier object of each kind the routes name, each carrying MARKER in its text,
    and the values that fill each path argument: ``values`` for them, ``missing`` for ids that
    name nothing."""

    values: dict[str, str]
    missing: dict[str, str]
    insider: Member


MARKER = "hushmark"  # lower case: it is in slugs too, and searched for case-insensitively
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n"


def build_world(owner: Member) -> World:
    """Council-tier community, thread with a poll, reply, library resource with an attachment
    and a topic, learning path, event, notification, membership request: all by insiders,
    whose profile shows to their own tier and above only."""
    insider = factories.make_member(tier_slug="council", name=f"Insider {MARKER}")
    factories.set_profile(insider, directory_visibility="tier")
    room = Community(
        slug=f"{MARKER}-room",
        name=f"Room {MARKER}",
        category="General",
        min_tier=factories.tier("council"),
        description=f"About {MARKER}",
    )
    db.session.add(room)
    commit()
    thread = forum.create_thread(
        insider,
        room,
        f"Thread {MARKER}",
        f"Body {MARKER}",
        poll=PollDraft(f"Poll {MARKER}?", [f"Yes {MARKER}", f"No {MARKER}"]),
    )
    post = forum.reply(owner, thread.id, f"Reply {MARKER} to @{insider.handle}")
    resource = library.create_resource(
        owner,
        library.ResourceDraft(
            kind="article",
            title=f"Resource {MARKER}",
            summary=f"Summary {MARKER}",
            body=f"Body {MARKER}",
            min_tier="council",
            topics=f"Topic {MARKER}",
        ),
        Upload(f"{MARKER}.pdf", PDF + MARKER.encode()),
    )
    workflow.transition(owner, resource.id, "in_review")
    workflow.transition(owner, resource.id, "published")
    path = paths.save_path(owner, None, f"Path {MARKER}", f"Summary {MARKER}", [resource.id])
    event = event_factories.make_event(
        owner, title=f"Event {MARKER}", location=f"Room {MARKER}", min_tier="council"
    )
    run_queued_work()  # the worker tells the insider of the reply
    notification = db.session.scalars(
        select(Notification).where(Notification.member_id == insider.id)
    ).first()
    assert notification, "the reply should have told the insider"
    request = factories.make_request(name=f"Applicant {MARKER}").request
    topic = resource.topics[0]
    option = db.session.scalars(
        select(PollOption).join(Poll).where(Poll.thread_id == thread.id)
    ).first()
    assert option, "the thread should carry its poll"
    values = {
        "community_id": room.id,
        "slug": room.slug,
        "thread_id": thread.id,
        "post_id": post.id,
        "resource_id": resource.id,
        "path_id": path.id,
        "event_id": event.id,
        "notification_id": notification.id,
        "member_id": insider.id,
        "request_id": request.id,
        "tier_id": factories.tier("council").id,
        "topic": topic.slug,
        "option_id": option.id,
    }
    missing = {name: "987654" for name in values} | {
        "slug": "no-such-room",
        "topic": "no-such-topic",
    }
    return World({name: str(value) for name, value in values.items()}, missing, insider)
