"""Demo discussions: communities over three categories and tiers, threads, replies, reactions."""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import bindparam, select, update

from community import access
from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum import communities, polls, reactions, services
from community.forum.communities import CommunityDraft
from community.forum.demo_topics import BODIES, CLOSERS, OPENERS, THREADS
from community.forum.models import Poll, PollOption, Post, Reaction, Thread
from community.forum.polls import PollDraft
from community.forum.posting import RECENT_TEXTS_COMPARED
from community.members.models import Member

DEMO_COMMUNITIES = [
    # (category, name, slug, minimum tier)
    ("Strategy", "Social strategy", "social-strategy", "strategist"),
    ("Strategy", "Measurement & ROI", "measurement", "strategist"),
    ("Strategy", "Brand & reputation", "brand", "executive"),
    ("Strategy", "Board conversations", "board", "council"),
    ("Practice", "Community management", "community-management", "strategist"),
    ("Practice", "Social listening", "listening", "strategist"),
    ("Practice", "Crisis communications", "crisis", "executive"),
    ("Practice", "Employee advocacy", "advocacy", "strategist"),
    ("Leadership", "Building the team", "team", "executive"),
    ("Leadership", "Budgets & vendors", "budgets", "executive"),
    ("Leadership", "CxO roundtable", "cxo-roundtable", "council"),
    ("Leadership", "Europe chapter", "europe", "strategist"),
]
PITCHES = [
    "Our platform solves exactly this. Book a demo today: 30% discount for council members, "
    "contact me for pricing and a free trial at https://sales.example/offer",
]
FLAGGED_REASON = ("off_topic", "This reads like a recruitment ad rather than a peer answer.")

# Tables, for the executemany UPDATEs that date the seeded history.
POST_TABLE = Post.metadata.tables["post"]
REACTION_TABLE = Reaction.metadata.tables["reaction"]
THREAD_TABLE = Thread.metadata.tables["thread"]


def _text(rng: random.Random, recent: deque[str]) -> str:
    """An opener, one or two points and a closer, never a copy of the author's recent posts:
    the sales-pitch check rightly holds a member's repeated text, and demo posts should show."""
    while True:
        points = rng.sample(BODIES, k=rng.choice([1, 1, 2]))
        parts = [rng.choice(OPENERS), *points, rng.choice(CLOSERS)]
        text = "\n\n".join(part for part in parts if part)
        if not any(all(point in earlier for point in points) for earlier in recent):
            recent.append(text)
            return text


def _spread(rng: random.Random, thread_posts: dict[int, list[int]]) -> None:
    """Date the threads as history: each starts between 1 and 90 days ago and its replies
    follow over the next hours and days, so lists and metrics show a living council."""
    now = utcnow()
    posts, reaction_dates, threads = [], [], []
    for thread_id, post_ids in thread_posts.items():
        start = at = now - timedelta(days=rng.uniform(1, 90))
        for post_id in post_ids:
            posts.append({"pid": post_id, "at": at})
            reaction_dates.append({"pid": post_id, "at": min(at + timedelta(hours=3), now)})
            at = min(at + timedelta(hours=rng.uniform(0.5, 40)), now)
        threads.append({"tid": thread_id, "at": posts[-1]["at"], "start": start})
    db.session.execute(
        update(POST_TABLE)
        .where(POST_TABLE.c.id == bindparam("pid"))
        .values(created_at=bindparam("at")),
        posts,
    )
    db.session.execute(
        update(REACTION_TABLE)
        .where(REACTION_TABLE.c.post_id == bindparam("pid"))
        .values(created_at=bindparam("at")),
        reaction_dates,
    )
    db.session.execute(
        update(THREAD_TABLE)
        .where(THREAD_TABLE.c.id == bindparam("tid"))
        .values(last_posted_at=bindparam("at"), created_at=bindparam("start")),
        threads,
    )
    commit()


def seed_discussions(members: list[Member], echo: Callable[[str], None] = print) -> None:
    """12 communities, 45 written threads and about 400 posts with reactions, written through the
    services so that counters, read positions and checks are exactly what members would get."""
    rng = random.Random(2026)  # noqa: S311 - reproducible demo content, not security
    owner = next(member for member in members if access.is_owner(member))
    created = []
    for position, (category, name, slug, tier) in enumerate(DEMO_COMMUNITIES):
        created.append(
            communities.create_community(
                owner,
                CommunityDraft(
                    name=name,
                    slug=slug,
                    description=f"Peers discussing {name.lower()}.",
                    category=category,
                    min_tier=tier,
                    is_chapter=slug == "europe",
                    position=position,
                ),
            )
        )
    # Each author's latest texts, as many as the sales-pitch check compares a new post with.
    recent: dict[int, deque[str]] = defaultdict(lambda: deque(maxlen=RECENT_TEXTS_COMPARED))
    # Post ids by thread, not the posts: every commit expires each object the session holds,
    # and holding 400 posts made each of the demo's 1,800 commits expire (and reload) them.
    thread_posts: dict[int, list[int]] = {}
    # Who may write where, decided before the first post: after each commit, asking again
    # would reload every member.
    authors_of = {
        community.slug: [m for m in members if access.can_see_community(m, community)]
        for community in created
    }
    for community in created:
        authors = authors_of[community.slug]
        for title, opening in THREADS[community.slug]:
            author = rng.choice(authors)
            thread = services.create_thread(author, community, title, opening)
            written = thread_posts[thread.id] = list(
                db.session.scalars(select(Post.id).where(Post.thread_id == thread.id))
            )
            for _ in range(rng.randint(3, 13)):
                author = rng.choice(authors)
                post = services.reply(author, thread.id, _text(rng, recent[author.id]))
                written.append(post.id)
                for reader in rng.sample(authors, k=rng.randint(0, 3)):
                    if reader.id != post.author_id and not post.is_held:
                        reactions.toggle_reaction(
                            reader, post.id, rng.choice(["like", "insightful"])
                        )
    _spread(rng, thread_posts)
    threads = len(thread_posts)
    posts = sum(len(written) for written in thread_posts.values())
    poll_thread = services.create_thread(
        owner,
        created[0],
        "Is Director the right bar for membership?",
        "The policy admits Directors and above. Before the next policy review, where do you stand?",
        PollDraft(
            "Should the council keep admitting Directors?",
            ["Yes, as today", "Only with social strategy responsibility", "No, VP and above"],
        ),
    )
    options = poll_thread_options(poll_thread)
    for voter in members:
        if voter.id != owner.id and access.can_see_community(voter, created[0]):
            polls.vote(voter, poll_thread.id, [rng.choice(options)])
    echo(
        f"Seeded {len(created)} communities, {threads + 1} threads, "
        f"{posts + 1} posts over 90 days, a poll."
    )


def poll_thread_options(thread: Thread) -> list[int]:
    return [
        option.id
        for option in db.session.scalars(
            select(PollOption).join(Poll).where(Poll.thread_id == thread.id)
        )
    ]
