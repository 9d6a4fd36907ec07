"""A grid of members and objects for the access consistency check
(tests/integration/test_access_consistency.py): every role at every tier, a chapter lead, a
thread author and a suspended member, against communities, threads, posts, resources and events
in each of their states. Each object carries a label, so a disagreement names what it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.events.models import Event
from community.extensions import db
from community.forum.models import ChapterLead, Community, Post, Thread
from community.library.models import Resource
from community.members.models import Member
from tests import factories

ROLES = ("member", "editor", "moderator", "owner")
TIERS = ("council", "executive", "strategist")
THREAD_STATES = ("normal", "deleted", "held", "closed", "locked")
POST_STATES = ("normal", "deleted", "held")
RESOURCE_STATUSES = ("published", "draft", "archived")


@dataclass
class Grid:
    """Ids by label; objects are looked up again by id wherever a check may have expired them."""

    members: dict[str, int] = field(default_factory=dict)
    communities: dict[str, int] = field(default_factory=dict)
    threads: dict[str, int] = field(default_factory=dict)
    posts: dict[str, int] = field(default_factory=dict)
    resources: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)

    def size(self) -> tuple[int, int]:
        objects = sum(
            len(group)
            for group in (self.communities, self.threads, self.posts, self.resources, self.events)
        )
        return len(self.members), objects

    def member(self, label: str) -> Member:
        return db.session.get_one(Member, self.members[label])

    def load(self) -> list[object]:
        """Every object of the grid, in one query per kind. Keep the list while checking: the
        session's identity map holds only objects something else refers to, so without it each
        lookup by id (and each relationship the predicates follow) queries again."""
        kinds: list[tuple[Any, dict[str, int]]] = [
            (Member, self.members),
            (Community, self.communities),
            (Thread, self.threads),
            (Post, self.posts),
            (Resource, self.resources),
            (Event, self.events),
        ]
        return [
            row
            for model, labelled in kinds
            for row in db.session.scalars(select(model).where(model.id.in_(labelled.values())))
        ]


def _thread(community: Community, author: Member, title: str, state: str, **kwargs) -> Thread:
    now = utcnow()
    thread = Thread(
        community=community,
        author=author,
        title=title,
        last_posted_at=now,
        last_poster=author,
        deleted_at=now if state == "deleted" else None,
        held_reason="Hidden after 3 members flagged it." if state == "held" else "",
        closed_at=now if state == "closed" else None,
        closed_by_id=author.id if state == "closed" else None,
        locked=state == "locked",
        **kwargs,
    )
    db.session.add(thread)
    db.session.flush()
    return thread


def _post(thread: Thread, author: Member, state: str) -> Post:
    thread.highest_post_number += 1
    post = Post(
        thread=thread,
        number=thread.highest_post_number,
        author=author,
        body=f"A {state} post with a thought of its own.",
        body_html=f"<p>A {state} post with a thought of its own.</p>",
        created_at=utcnow(),
        deleted_at=utcnow() if state == "deleted" else None,
        held_reason="Held: it reads like a sales pitch." if state == "held" else "",
    )
    db.session.add(post)
    db.session.flush()
    return post


def build_grid() -> Grid:
    grid = Grid()
    for role in ROLES:
        for tier in TIERS:
            grid.members[f"{role}/{tier}"] = factories.make_member(role, tier).id
    author = factories.make_member("member", "strategist", name="Thread Author")
    lead = factories.make_member("member", "executive", name="Chapter Lead")
    grid.members["thread author (member/strategist)"] = author.id
    grid.members["chapter lead (member/executive)"] = lead.id
    grid.members["suspended member/council"] = factories.make_member(
        "member", "council", status="suspended"
    ).id
    owner = db.session.get_one(Member, grid.members["owner/council"])

    communities: dict[str, Community] = {}
    for tier in TIERS:
        communities[tier] = factories.make_community(f"grid-{tier}", tier)
        grid.communities[f"{tier} community"] = communities[tier].id
    archived = factories.make_community("grid-archived", "strategist", archived_at=utcnow())
    grid.communities["archived strategist community"] = archived.id
    db.session.add(ChapterLead(community_id=communities["executive"].id, member_id=lead.id))

    for tier in TIERS:
        for state in THREAD_STATES:
            thread = _thread(communities[tier], author, f"{state} thread", state)
            grid.threads[f"{state} thread in {tier}"] = thread.id
            if state == "normal":
                for post_state in POST_STATES:
                    post = _post(thread, author, post_state)
                    grid.posts[f"{post_state} post in {tier}"] = post.id
    grid.threads["thread in archived community"] = _thread(archived, author, "old", "normal").id
    commit()

    for status in RESOURCE_STATUSES:
        for tier in TIERS:
            resource = factories.make_resource(owner, tier_slug=tier, status=status)
            grid.resources[f"{status} {tier} resource"] = resource.id
            # Its discussion, in the widest community: the resource alone narrows who reads it.
            widest = communities["strategist"]
            talk = _thread(widest, author, "resource talk", "normal", resource_id=resource.id)
            grid.threads[f"discussion of {status} {tier} resource"] = talk.id
    for tier in TIERS:
        event = factories.make_event(owner, title=f"{tier} roundtable", min_tier=tier)
        grid.events[f"{tier} event"] = event.id
    commit()
    return grid


VISIBILITIES = ("all", "tier", "hidden")
MEMBER_STATUSES = ("active", "suspended", "revoked")


def build_profile_grid(grid: Grid) -> dict[str, int]:
    """Members to be looked at: every directory visibility x status x tier, labelled."""
    profiles: dict[str, int] = {}
    for visibility in VISIBILITIES:
        for status in MEMBER_STATUSES:
            for tier in TIERS:
                member = factories.make_member("member", tier, status=status)
                member.directory_visibility = visibility
                profiles[f"{visibility} {status} {tier} profile"] = member.id
    over = factories.make_member("member", "strategist", status="suspended")
    over.suspended_until = utcnow()
    profiles["suspension over (strategist)"] = over.id
    commit()
    return profiles
