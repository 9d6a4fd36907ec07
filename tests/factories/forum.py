"""Communities, threads and posts."""

from __future__ import annotations

from community.core.events import commit
from community.extensions import db
from community.forum import services
from community.forum.models import Community, Post, Thread
from community.members.models import Member
from tests.factories import members


def make_community(slug: str = "strategy", tier: str = "strategist", **kwargs) -> Community:
    community = Community(
        slug=slug,
        name=kwargs.pop("name", slug.replace("-", " ").title()),
        description=kwargs.pop("description", ""),
        category=kwargs.pop("category", "General"),
        min_tier=members.tier(tier),
        **kwargs,
    )
    db.session.add(community)
    commit()
    return community


def start_thread(author: Member, community: Community, title: str, body: str) -> Thread:
    return services.create_thread(author, community, title, body)


def add_posts(thread: Thread, author: Member, count: int) -> list[Post]:
    """Posts written straight through the service's insert (no limits, no pitch check)."""
    posts = [
        services._add_post(author, thread, f"Observation {n}: {'xyz' * n} differs.", "")
        for n in range(count)
    ]
    commit()
    return posts
