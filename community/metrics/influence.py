"""Influence: in each community, the members whose posts drew the widest response, and what
they are saying.

Breadth is the number of distinct members who replied to someone (a reply in a thread they
started, or a quote of their post) or reacted to their posts, in the period; each responder
weighs their tier's rank, so the attention of the most senior members counts most. Terms and
excerpts come only from posts every reader of the thread sees (not deleted, not held), so the
report never shows what the owner could not open.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, func, select, union

from community import access
from community.extensions import db
from community.forum.models import Community, Post, Reaction, Thread
from community.members.models import Member, Tier
from community.metrics.periods import Period
from community.metrics.report_types import Report, day_bounds
from community.metrics.terms import top_terms

TOP_PER_COMMUNITY = 5
TERMS = 5
POSTS_READ = 30  # the latest posts of each influential member read for their terms


def _responses(period: Period):
    """(community, member responded to, responder): each pair once, whatever the channel."""
    start, end = day_bounds(period)
    reply = Post.__table__.alias("reply")
    quoted = Post.__table__.alias("quoted")
    in_period = and_(reply.c.created_at >= start, reply.c.created_at < end)
    shown = and_(reply.c.deleted_at.is_(None), reply.c.held_reason == "")
    replies = (
        select(Thread.community_id, Thread.author_id, reply.c.author_id)
        .join(reply, reply.c.thread_id == Thread.id)
        .where(in_period, shown, reply.c.number > 1, Thread.author_id != reply.c.author_id)
    )
    quotes = (
        select(Thread.community_id, quoted.c.author_id, reply.c.author_id)
        .join(reply, reply.c.thread_id == Thread.id)
        .join(quoted, reply.c.quoted_post_id == quoted.c.id)
        .where(in_period, shown, quoted.c.author_id != reply.c.author_id)
    )
    reactions = (
        select(Thread.community_id, Post.author_id, Reaction.member_id)
        .join(Post, Post.thread_id == Thread.id)
        .join(Reaction, Reaction.post_id == Post.id)
        .where(
            Reaction.created_at >= start,
            Reaction.created_at < end,
            Post.author_id != Reaction.member_id,
        )
    )
    return union(replies, quotes, reactions).subquery("responses")


def _ranked(period: Period) -> list[tuple[int, int, int, int]]:
    """(community, member, breadth, weighted breadth), the top few of each community."""
    pairs = _responses(period)
    community, target, source = pairs.c
    weighted = func.sum(Tier.rank)
    scores = (
        select(
            community.label("community_id"),
            target.label("member_id"),
            func.count(source).label("breadth"),
            weighted.label("weighted"),
            func.row_number()
            .over(partition_by=community, order_by=(weighted.desc(), target))
            .label("place"),
        )
        .join(Member, Member.id == source)
        .join(Tier, Tier.id == Member.tier_id)
        .where(target.is_not(None))
        .group_by(community, target)
        .subquery()
    )
    return [
        (row.community_id, row.member_id, row.breadth, row.weighted)
        for row in db.session.execute(select(scores).where(scores.c.place <= TOP_PER_COMMUNITY))
    ]


def _what_they_say(
    period: Period, ranked: list[tuple[int, int, int, int]]
) -> dict[tuple[int, int], list[str]]:
    """{(community, member): their latest posts' text, newest first}."""
    if not ranked:
        return {}
    start, end = day_bounds(period)
    wanted = {(community_id, member_id) for community_id, member_id, _, _ in ranked}
    texts: dict[tuple[int, int], list[str]] = defaultdict(list)
    rows = db.session.execute(
        select(Thread.community_id, Post.author_id, Post.body)
        .join(Thread, Post.thread_id == Thread.id)
        .where(
            Post.author_id.in_({member_id for _, member_id in wanted}),
            Thread.community_id.in_({community_id for community_id, _ in wanted}),
            Post.created_at >= start,
            Post.created_at < end,
            access.posts_every_reader_sees_filter(),
            Thread.deleted_at.is_(None),
            Thread.held_reason == "",
        )
        .order_by(Post.created_at.desc(), Post.id.desc())
    )
    for community_id, author_id, body in rows:
        key = (community_id, author_id)
        if key in wanted and len(texts[key]) < POSTS_READ:
            texts[key].append(body)
    return texts


def _excerpt(text: str, length: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rsplit(" ", 1)[0] + "…"


def influence(period: Period) -> Report:
    ranked = _ranked(period)
    texts = _what_they_say(period, ranked)
    names = dict(
        db.session.execute(
            select(Member.id, Member.name).where(Member.id.in_({r[1] for r in ranked}))
        ).all()
    )
    communities = dict(db.session.execute(select(Community.id, Community.name)).all())
    rows: list[list[object]] = []
    for community_id, member_id, breadth, weighted in sorted(
        ranked, key=lambda r: (communities.get(r[0], ""), -r[3], r[1])
    ):
        said = texts.get((community_id, member_id), [])
        rows.append(
            [
                communities.get(community_id, ""),
                names.get(member_id, "Former member"),
                breadth,
                weighted,
                " ".join(top_terms(said, TERMS)),
                _excerpt(said[0]) if said else "",
            ]
        )
    return Report(
        key="influence",
        title="Influence",
        columns=["community", "member", "breadth", "weighted_breadth", "top_terms", "latest"],
        rows=rows,
        definition=f"In each community, the {TOP_PER_COMMUNITY} members whom the most members "
        "answered in the period (replied in a thread they started, quoted them, or reacted to "
        "their posts): breadth counts each of those members once; weighted breadth adds their "
        "tier's rank (Council 30, Executive 20, Strategist 10 by default). Top terms and the "
        "latest excerpt come from the member's posts in the period that every reader sees.",
        empty="Nobody answered anybody in this period.",
    )
