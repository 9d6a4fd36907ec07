"""Demo moderation work: a few flagged posts and a held sales pitch, so a moderator signing in to
the demo finds the review queue as it looks on an ordinary week."""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import select

from community import access
from community.extensions import db
from community.forum import services as forum
from community.forum.models import Community, Post, Thread
from community.members.models import Member
from community.moderation import flags

# Written by a member whose company sells to the others: the check holds it and says why.
PITCH = (
    "Great thread. We solved exactly this at {company}: book a demo of our platform this week "
    "and get 20% off, pricing starts at $49/user/month. Limited time offer, contact our sales "
    "team today!"
)
FLAGS = [
    ("off_topic", "This is about hiring, not about the thread's question."),
    ("other", "Names a client without their permission, I think."),
    ("off_topic", ""),
]


def seed_review_queue(members: list[Member], echo: Callable[[str], None] = print) -> None:
    """Flag three replies (one by two members) and hold one pitch, through the services."""
    rng = random.Random(7)  # noqa: S311 - reproducible demo content, not security
    replies = list(
        db.session.scalars(
            select(Post)
            .join(Thread, Post.thread_id == Thread.id)
            .join(Community, Thread.community_id == Community.id)
            .where(Post.number > 1, Community.category != "Library", Post.held_reason == "")
            .order_by(Post.id)
        )
    )
    peers = [m for m in members if not access.is_moderator(m)]
    for (reason, text), post in zip(FLAGS, rng.sample(replies, k=len(FLAGS)), strict=True):
        flaggers = [
            m for m in peers if m.id != post.author_id and access.can_see_thread(m, post.thread)
        ]
        for flagger in rng.sample(flaggers, k=2 if reason == "other" else 1):
            flags.flag_post(flagger, post.id, reason, text)
    thread = rng.choice(replies).thread
    seller = next(m for m in peers if access.can_see_thread(m, thread) and m.id != thread.author_id)
    held = forum.reply(seller, thread.id, PITCH.format(company=seller.company or "our firm"))
    echo(f"Seeded {len(FLAGS)} flagged posts and {int(held.is_held)} held post for the moderators.")
