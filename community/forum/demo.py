"""Demo discussions: communities over three categories and tiers, threads, replies, reactions."""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Callable

from sqlalchemy import select

from community import access
from community.extensions import db
from community.forum import communities, polls, services
from community.forum.communities import CommunityDraft
from community.forum.models import Poll, PollOption, Thread
from community.forum.polls import PollDraft
from community.forum.posting import RECENT_TEXTS_COMPARED
from community.members.models import Member

DEMO_THREADS = 60  # about 600 posts: what `make run` seeds

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
TOPICS = [
    "How do you report social ROI to the board?",
    "Centralised or hub-and-spoke social team?",
    "What changed in your crisis playbook this year?",
    "Measuring share of voice without a big tool budget",
    "Employee advocacy: opt-in or expected?",
    "Which metrics did you stop reporting, and why?",
    "Hiring a head of community: what to look for",
    "Listening tools: build, buy or both?",
    "How much of your budget goes to paid social now?",
    "Getting legal comfortable with faster approvals",
]
REPLIES = [
    "We moved to **outcome metrics** last year: qualified conversations, not impressions.",
    "Same experience here. The board cared once we tied it to *retention*.",
    "We tried that and it failed: the regional teams felt left out. Hub-and-spoke worked better.",
    "Two things helped us:\n\n- a weekly one-page summary\n- one owner per metric",
    "> start with what the CFO already trusts\n\nThis is the key point for me.",
    "Happy to share our template in the next roundtable.",
    "Our legal team now pre-approves a library of responses; approvals went from days to hours.",
    "We stopped reporting follower counts entirely. Nobody missed them.",
    "Curious how you handle this across time zones?",
    "Agree with the points above; we budget for listening before paid.",
    "We run a quarterly review with finance; it keeps the numbers honest.",
    "In our region the answer was different: smaller teams, more agency support.",
    "We piloted it with two business units first, then rolled it out.",
    "The hardest part was agreeing on definitions, not the tooling.",
    "I would add one thing: write down what you will *stop* doing.",
    "Our CMO asked for fewer dashboards and more decisions. That changed everything.",
]


def _text(rng: random.Random, recent: deque[str]) -> str:
    """Two different paragraphs, never a copy of the author's recent posts: the sales-pitch
    check rightly holds a member's repeated text, and demo posts should all be shown."""
    while True:
        first, second = rng.sample(REPLIES, k=2)
        text = f"{first}\n\n{second}"
        # The same two paragraphs the other way round are a repeat too (the check compares
        # word pairs, not their order).
        if not any(first in earlier and second in earlier for earlier in recent):
            recent.append(text)
            return text


def seed_discussions(
    members: list[Member], echo: Callable[[str], None] = print, threads: int = DEMO_THREADS
) -> None:
    """12 communities, ``threads`` threads of ten posts each with reactions, and a poll, written
    through the services so that counters, read positions and checks are exactly what members
    would get."""
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
    posts = 0
    # Each author's latest texts, as many as the sales-pitch check compares a new post with.
    recent: dict[int, deque[str]] = defaultdict(lambda: deque(maxlen=RECENT_TEXTS_COMPARED))
    for n in range(threads):
        community = created[n % len(created)]
        authors = [m for m in members if access.can_see_community(m, community)]
        author = rng.choice(authors)
        thread = services.create_thread(
            author, community, TOPICS[n % len(TOPICS)], _text(rng, recent[author.id])
        )
        posts += 1
        for _ in range(9):
            author = rng.choice(authors)
            post = services.reply(author, thread.id, _text(rng, recent[author.id]))
            posts += 1
            for reader in rng.sample(authors, k=min(2, len(authors))):
                if reader.id != post.author_id and not post.is_held:
                    services.toggle_reaction(reader, post.id, rng.choice(["like", "insightful"]))
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
    echo(f"Seeded {len(created)} communities, {threads + 1} threads, {posts + 1} posts, a poll.")


def poll_thread_options(thread: Thread) -> list[int]:
    return [
        option.id
        for option in db.session.scalars(
            select(PollOption).join(Poll).where(Poll.thread_id == thread.id)
        )
    ]
