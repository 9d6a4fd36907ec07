"""Ninety days of plausible activity for the demo, so that the owners' dashboard has
something to show on first run: visits, page views, searches, downloads, completions and
RSVPs, drawn from a seeded random generator, then the daily rollups of those days.

Posts, replies and reactions are recorded from the tables at the time they were written, as
the live recorders would have. Everything is written with one multi-row INSERT per table.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import insert, select

from community.core.clock import utcnow
from community.core.events import commit
from community.events.models import Event
from community.extensions import db
from community.forum.models import Post, Reaction, Thread
from community.library.models import Resource, Status
from community.members.models import Member
from community.metrics.events import discard_pending
from community.metrics.models import METRIC_EVENT_TABLE
from community.metrics.rollups import rebuild_rollups

DEMO_DAYS = 90
SEARCHES = [
    ("social roi", 4),
    ("board reporting", 2),
    ("crisis playbook", 3),
    ("employee advocacy", 0),
    ("ai disclosure policy", 0),
    ("measurement", 6),
]


def _event(member_id: int, action: str, object_type: str, object_id: int, at: datetime) -> dict:
    return {
        "member_id": member_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "community_id": None,
        "day": at.date(),
        "created_at": at,
        "detail": "",
        "quantity": None,
    }


def _written(rows: list[dict]) -> None:
    """Posts, replies and reactions as the live recorders note them."""
    for post_id, number, thread_id, community_id, author_id, at in db.session.execute(
        select(
            Post.id,
            Post.number,
            Post.thread_id,
            Thread.community_id,
            Post.author_id,
            Post.created_at,
        ).join(Thread, Post.thread_id == Thread.id)
    ):
        if author_id is None:
            continue
        row = (
            _event(author_id, "post", "thread", thread_id, at)
            if number == 1
            else _event(author_id, "reply", "post", post_id, at)
        )
        rows.append(row | {"community_id": community_id})
    for post_id, member_id, kind, at in db.session.execute(
        select(Reaction.post_id, Reaction.member_id, Reaction.kind, Reaction.created_at)
    ):
        rows.append(_event(member_id, "react", "post", post_id, at) | {"detail": kind})


def seed_activity(echo: Callable[[str], None] = print) -> None:
    rng = random.Random(13)  # noqa: S311 - reproducible demo activity, not security
    today = utcnow().date()
    members = list(db.session.scalars(select(Member.id)))
    threads = list(db.session.execute(select(Thread.id, Thread.community_id)))
    resources = list(
        db.session.scalars(select(Resource.id).where(Resource.status == Status.PUBLISHED.value))
    )
    events = list(db.session.scalars(select(Event.id)))
    rows: list[dict] = []
    for member_id in members:
        keenness = rng.uniform(0.25, 0.9)  # how often this member comes
        for n in range(DEMO_DAYS - 1, -1, -1):
            day = today - timedelta(days=n)
            if rng.random() > keenness:
                continue
            at = datetime.combine(day, time(rng.randrange(7, 20), rng.randrange(60)), tzinfo=UTC)
            at = min(at, utcnow())
            rows.append(_event(member_id, "visit", "site", 0, at))
            for thread_id, community_id in rng.sample(threads, k=min(len(threads), 3)):
                rows.append(_event(member_id, "view", "thread", thread_id, at))
                rows[-1]["community_id"] = community_id
            if resources and rng.random() < 0.3:
                resource_id = rng.choice(resources)
                rows.append(_event(member_id, "view", "resource", resource_id, at))
                if rng.random() < 0.4:
                    rows.append(_event(member_id, "download", "resource", resource_id, at))
                if rng.random() < 0.2:
                    rows.append(_event(member_id, "complete", "resource", resource_id, at))
            if events and rng.random() < 0.1:
                event_id = rng.choice(events)
                rows.append(_event(member_id, "view", "event", event_id, at))
                rows.append(_event(member_id, "rsvp", "event", event_id, at))
            if rng.random() < 0.15:
                words, found = rng.choice(SEARCHES)
                rows.append(
                    _event(member_id, "search", "all", 0, at) | {"detail": words, "quantity": found}
                )
    _written(rows)
    db.session.execute(insert(METRIC_EVENT_TABLE), rows)
    commit()
    # What the seeding itself buffered is in the table now, from the tables above.
    discard_pending(current_app._get_current_object())  # type: ignore[attr-defined]
    days = [today - timedelta(days=n) for n in range(DEMO_DAYS - 1, -1, -1)]
    for _ in rebuild_rollups(days):
        pass
    echo(f"Seeded {len(rows)} activity events over {DEMO_DAYS} days, with their rollups.")
