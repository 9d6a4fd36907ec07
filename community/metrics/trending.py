"""Trending threads and terms (this period against their own history, as a z-score) and the
sentiment mix of each community (only ever as a community's aggregate)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select

from community import access
from community.extensions import db
from community.forum.models import Community, Post, Reaction, Thread
from community.metrics.history import (
    HISTORY_PERIODS,
    day_bucket,
    history_start,
    time_bucket,
    z_score,
)
from community.metrics.models import CommunityDay, TermDay
from community.metrics.periods import Period
from community.metrics.report_types import (
    PRIVACY_FLOOR,
    SUPPRESSED,
    Report,
    day_bounds,
    floored,
    ratio,
)

TOP_TRENDING = 10
MIN_ACTIVITY = 3  # less than this in the period is noise, whatever its history
BUCKETS = range(HISTORY_PERIODS + 1)


def _per_bucket(bucket: ColumnElement[int], amount: Any) -> list[ColumnElement[int]]:
    """One summed column per bucket: the period's total first, then each earlier period's."""
    return [func.coalesce(func.sum(case((bucket == n, amount), else_=0)), 0) for n in BUCKETS]


def _as_ints(values: Iterable[Any]) -> list[int]:
    return [int(value or 0) for value in values]


def _trend_rows(
    counts: Mapping[Any, list[int]], limit: int
) -> list[tuple[object, float, int, float]]:
    """(key, z, now, usual) of the keys standing out most, highest z first."""
    scored = []
    for key, series in counts.items():
        now, history = series[0], series[1:]
        if now < MIN_ACTIVITY:
            continue
        z = z_score(now, history)
        if z > 0:
            scored.append((key, round(z, 1), now, round(sum(history) / len(history), 1)))
    scored.sort(key=lambda row: (-row[1], -row[2], str(row[0])))
    return scored[:limit]


def trending_threads(period: Period) -> Report:
    since = day_bounds(Period(history_start(period), period.end, "custom"))[0]
    start, end = day_bounds(period)
    seen = access.posts_every_reader_sees_filter()
    # Only threads active in the period can trend, so only their history is read (not
    # every post and reaction of the last five periods): the same rows as grouping them all
    # and keeping those with activity now.
    posted_now = select(Post.thread_id).where(Post.created_at >= start, Post.created_at < end, seen)
    posted = time_bucket(Post.created_at, period)
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
    posts_now = _per_bucket(posted, literal(1))
    for thread_id, *series in db.session.execute(
        select(Post.thread_id, *posts_now)
        .where(Post.created_at >= since, seen, Post.thread_id.in_(posted_now))
        .group_by(Post.thread_id)
        .having(posts_now[0] > 0)
    ):
        counts[thread_id] = _as_ints(series)
    reacted_now = (
        select(Post.thread_id)
        .join(Reaction, Reaction.post_id == Post.id)
        .where(Reaction.created_at >= start, Reaction.created_at < end, seen)
    )
    reacted = time_bucket(Reaction.created_at, period)
    reactions_now = _per_bucket(reacted, literal(1))
    for row in db.session.execute(
        select(Post.thread_id, *reactions_now)
        .join(Post, Reaction.post_id == Post.id)
        .where(Reaction.created_at >= since, seen, Post.thread_id.in_(reacted_now))
        .group_by(Post.thread_id)
        .having(reactions_now[0] > 0)
    ):
        thread_id, *reactions = _as_ints(row)
        counts[thread_id] = [a + b for a, b in zip(counts[thread_id], reactions, strict=True)]
    top = _trend_rows(counts, 4 * TOP_TRENDING)
    threads = {
        thread_id: (title, community)
        for thread_id, title, community in db.session.execute(
            select(Thread.id, Thread.title, Community.name)
            .join(Community, Thread.community_id == Community.id)
            .where(
                Thread.id.in_([row[0] for row in top]),
                Thread.deleted_at.is_(None),
                Thread.held_reason == "",
            )
        )
    }
    rows: list[list[object]] = [
        [thread_id, *threads[thread_id], now, usual, z]
        for thread_id, z, now, usual in top
        if thread_id in threads
    ][:TOP_TRENDING]
    return Report(
        key="trending-threads",
        title="Trending threads",
        columns=["thread_id", "title", "community", "activity", "usual", "z_score"],
        rows=rows,
        definition="Activity is posts plus reactions to them. A thread "
        f"trends when its activity this period ({MIN_ACTIVITY} or more) stands out against "
        f"its own last {HISTORY_PERIODS} periods of the same length: the z-score is the "
        "distance from their mean in standard deviations (at least 1). Highest first.",
        empty="Nothing stands out against its history in this period.",
    )


def trending_terms(period: Period) -> Report:
    bucket = day_bucket(TermDay.day, period)
    per_bucket = _per_bucket(bucket, TermDay.posts)
    counts = {
        term: _as_ints(series)
        for term, *series in db.session.execute(
            select(TermDay.term, *per_bucket)
            .where(TermDay.day.between(history_start(period), period.end))
            .group_by(TermDay.term)
            .having(per_bucket[0] >= MIN_ACTIVITY)
        )
    }
    rows: list[list[object]] = [
        [term, now, usual, z] for term, z, now, usual in _trend_rows(counts, TOP_TRENDING)
    ]
    return Report(
        key="trending-terms",
        title="Trending terms",
        columns=["term", "posts", "usual", "z_score"],
        rows=rows,
        definition="Words (common English words left out) by the number of posts using them "
        "in the period, against the same count in each of the last "
        f"{HISTORY_PERIODS} periods: z-score as for threads. Counted by the rollup job, "
        "every ten minutes.",
        empty="No word stands out against its history in this period.",
    )


def sentiment(period: Period) -> Report:
    start, end = day_bounds(period)
    authors = dict(
        db.session.execute(
            select(Thread.community_id, func.count(func.distinct(Post.author_id)))
            .join(Thread, Post.thread_id == Thread.id)
            .where(Post.created_at >= start, Post.created_at < end)
            .group_by(Thread.community_id)
        ).all()
    )
    rows: list[list[object]] = []
    for name, community_id, posts, positive, neutral, negative in db.session.execute(
        select(
            Community.name,
            CommunityDay.community_id,
            func.sum(CommunityDay.posts),
            func.sum(CommunityDay.positive),
            func.sum(CommunityDay.neutral),
            func.sum(CommunityDay.negative),
        )
        .join(Community, Community.id == CommunityDay.community_id)
        .where(CommunityDay.day.between(period.start, period.end))
        .group_by(Community.name, CommunityDay.community_id)
        .having(func.sum(CommunityDay.posts) > 0)
        .order_by(func.sum(CommunityDay.posts).desc(), Community.name)
    ):
        writers = authors.get(community_id, 0)
        if writers < PRIVACY_FLOOR:
            rows.append([name, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED])
            continue
        rows.append(
            [
                name,
                floored(writers),
                posts,
                ratio(positive, posts),
                ratio(neutral, posts),
                ratio(negative, posts),
            ]
        )
    return Report(
        key="sentiment",
        title="Sentiment by community",
        columns=["community", "authors", "posts", "positive", "neutral", "negative"],
        rows=rows,
        definition="The share of a community's posts in the period that read as positive, "
        "neutral or negative (VADER, run on this server; compound score 0.05 or more is "
        "positive, -0.05 or less negative). Only whole communities are shown, never a post "
        f"or a member; a community where fewer than {PRIVACY_FLOOR} members wrote shows "
        "“<5”. Counted by the rollup job, every ten minutes.",
        empty="Nobody posted in this period.",
    )
