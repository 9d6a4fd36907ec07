"""Trending threads and terms against their own history, and the sentiment mix per community
(community aggregates only, under the privacy floor)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum.models import Post
from community.metrics.catalogue import build_report
from community.metrics.periods import last_days
from community.metrics.rollups import rollup_day
from tests import factories

TODAY = utcnow().date()


def posts_of(thread) -> list[Post]:
    return list(
        db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.number))
    )


def veteran():
    member = factories.make_member()
    member.created_at = utcnow() - timedelta(days=90)  # past the new members' thread limit
    return member


def test_a_thread_trends_when_its_period_stands_out_against_its_own_history(app):
    community = factories.make_community(slug="ai", name="AI")
    author = veteran()
    steady = factories.start_thread(author, community, "Steady", "Opening words here.")
    factories.add_posts(steady, author, 8)
    for week, post in enumerate(posts_of(steady)[:4], start=1):
        post.created_at = utcnow() - timedelta(days=7 * week + 3)  # one post a week before
    quiet = factories.start_thread(author, community, "Quiet", "Opening words here.")
    factories.add_posts(quiet, author, 1)  # two posts: under the minimum of three
    commit()

    report = build_report("trending-threads", last_days(7))
    # Steady: 5 posts now against 1, 1, 1, 1 (mean 1, spread 0 counted as 1): z = 4.
    assert report.rows == [[steady.id, "Steady", "AI", 5, 1.0, 4.0]]


def test_terms_trend_from_the_daily_term_rollup(app):
    community = factories.make_community(slug="ops", name="Ops")
    author = veteran()
    thread = factories.start_thread(author, community, "Tools", "Opening words here.")
    factories.add_posts(thread, author, 5)
    posts = posts_of(thread)
    posts[0].body = "Hello."
    for post in posts[1:4]:
        post.body = "Blockchain!"
    for week, post in enumerate(posts[4:6], start=1):
        post.body = "Blockchain!"  # two earlier weeks had it once each
        post.created_at = utcnow() - timedelta(days=7 * week)
    commit()
    for post in posts:
        rollup_day(post.created_at.date())

    rows = build_report("trending-terms", last_days(7)).rows
    # 3 posts now against 1, 1, 0, 0: mean 0.5, spread 0.5 (counted as 1): z = 2.5.
    assert rows == [["blockchain", 3, 0.5, 2.5]]


def test_sentiment_mix_per_community_with_small_communities_suppressed(app):
    big = factories.make_community(slug="big", name="Big")
    small = factories.make_community(slug="small", name="Small")
    writers = [veteran() for _ in range(5)]
    thread = factories.start_thread(writers[0], big, "Mood", "Great, I love this idea!")
    texts = [
        "Wonderful results, thank you so much!",
        "Excellent, very helpful.",
        "This is terrible and awful.",
        "The meeting is on Tuesday.",
    ]
    for writer, text in zip(writers[1:], texts, strict=True):
        (post,) = factories.add_posts(thread, writer, 1)
        post.body = text
    tiny = factories.start_thread(writers[0], small, "Pair", "Great, I love this idea!")
    (reply,) = factories.add_posts(tiny, writers[1], 1)
    reply.body = "This is terrible and awful."
    commit()
    rollup_day(TODAY)

    rows = build_report("sentiment", last_days(7)).rows
    # Big: 5 writers, 5 posts: 3 positive (60 %), 1 neutral, 1 negative (20 % each).
    assert rows[0] == ["Big", 5, 5, 60.0, 20.0, 20.0]
    # Small: 2 writers: nothing about its mood shows.
    assert rows[1] == ["Small", "<5", "<5", "<5", "<5", "<5"]
