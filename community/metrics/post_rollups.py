"""Daily rollups of what members wrote: each community's posts with their sentiment mix (and
the views of its threads), and the words of the day's posts. Computed from the posts
themselves (which are not pruned), only for posts every reader sees, by the rollup job, so
that no page ever runs the sentiment model.

Sentiment is VADER's (a word list and rules, run here, nothing leaves the server): a post's
compound score of 0.05 or more is positive, -0.05 or less negative, neutral in between, the
thresholds its authors recommend.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import delete, func, insert, select
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from community import access
from community.extensions import db
from community.forum.models import Post, Thread
from community.metrics.models import CommunityDay, MetricEvent, TermDay
from community.metrics.terms import words

POSITIVE = 0.05
NEGATIVE = -0.05


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    """Loaded once per process (its lexicon takes a tenth of a second to read)."""
    return SentimentIntensityAnalyzer()


def mood(text: str) -> str:
    """ "positive", "neutral" or "negative" for one text."""
    score = _analyzer().polarity_scores(text)["compound"]
    if score >= POSITIVE:
        return "positive"
    return "negative" if score <= NEGATIVE else "neutral"


@dataclass(frozen=True)
class PostCounts:
    """One day's community and term rows, counted and not yet stored."""

    day: date
    communities: list[dict[str, Any]]
    terms: list[dict[str, Any]]


def count_posts(day: date) -> PostCounts:
    """Read and score the day's posts: the slow part (the sentiment model reads every post),
    done before the rollup writes anything, so it never holds SQLite's write lock."""
    start = datetime.combine(day, time.min, tzinfo=UTC)
    posts = db.session.execute(
        select(Thread.community_id, Post.body)
        .join(Thread, Post.thread_id == Thread.id)
        .where(
            Post.created_at >= start,
            Post.created_at < start + timedelta(days=1),
            access.posts_every_reader_sees_filter(),
            Thread.deleted_at.is_(None),
        )
    ).all()
    views: dict[int, int] = {
        community_id: count
        for community_id, count in db.session.execute(
            select(MetricEvent.community_id, func.count())
            .where(
                MetricEvent.day == day,
                MetricEvent.action == "view",
                MetricEvent.object_type == "thread",
                MetricEvent.community_id.is_not(None),
            )
            .group_by(MetricEvent.community_id)
        )
        if community_id is not None
    }
    moods: dict[int, Counter[str]] = defaultdict(Counter)
    terms: Counter[str] = Counter()
    for community_id, body in posts:
        moods[community_id][mood(body)] += 1
        terms.update(set(words(body)))
    for community_id in views:
        moods.setdefault(community_id, Counter())
    return PostCounts(
        day=day,
        communities=[
            {
                "day": day,
                "community_id": community_id,
                "posts": counts.total(),
                "positive": counts["positive"],
                "neutral": counts["neutral"],
                "negative": counts["negative"],
                "views": views.get(community_id, 0),
            }
            for community_id, counts in moods.items()
        ],
        terms=[{"day": day, "term": term, "posts": n} for term, n in terms.items()],
    )


def store_post_counts(counts: PostCounts) -> None:
    """Replace the day's community and term rows with ``counts`` (the caller commits)."""
    db.session.execute(delete(CommunityDay).where(CommunityDay.day == counts.day))
    db.session.execute(delete(TermDay).where(TermDay.day == counts.day))
    if counts.communities:
        db.session.execute(insert(CommunityDay), counts.communities)
    if counts.terms:
        db.session.execute(insert(TermDay), counts.terms)
