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


def seed_thread(community: Community, author: Member, title: str, *repliers: Member) -> Thread:
    """A thread with one reply per replier, written through the service's insert (so the
    counters and participants are kept as on any post) without the new-member limits."""
    thread = Thread(community=community, author=author, title=title, last_poster=author)
    db.session.add(thread)
    db.session.flush()
    services._add_post(author, thread, f"Opening post of {title}.", "")
    community.thread_count += 1
    for n, replier in enumerate(repliers):
        services._add_post(replier, thread, f"Reply {n} to {title}.", "")
    commit()
    return thread
