"""What each community has been up to: new threads and posts counted per day as they are
written (``CommunityActivity``), and the thread last posted in (``Community.last_thread_id``),
so the communities page shows a week's activity and the latest thread without reading the
thread or post tables."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import func, select, update

from community.core.clock import as_utc, utcnow
from community.core.models import upsert
from community.extensions import db
from community.forum.models import Community, CommunityActivity, Post, Thread

WEEK_DAYS = 7


class Activity(NamedTuple):
    threads: int
    posts: int


NO_ACTIVITY = Activity(0, 0)


def record_activity(
    community_id: int, threads: int = 0, posts: int = 0, day: date | None = None
) -> None:
    """Count new threads and posts in a day's row (UTC; today unless ``day``). One upsert, so
    concurrent posts add up instead of overwriting each other. Caller commits."""
    statement = upsert(CommunityActivity).values(
        day=day or utcnow().date(), community_id=community_id, threads=threads, posts=posts
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["day", "community_id"],
            set_={
                "threads": CommunityActivity.threads + statement.excluded.threads,
                "posts": CommunityActivity.posts + statement.excluded.posts,
            },
        )
    )


def record_visible_post(community: Community, thread: Thread, new_thread: bool = False) -> None:
    """A post every reader sees was added to ``thread`` (the first of a new thread, or not):
    count it, and make the thread its community's latest. Caller commits."""
    community.last_thread_id = thread.id
    record_activity(community.id, threads=int(new_thread), posts=1)


def record_post_hidden(post: Post) -> None:
    """A counted post was deleted or held: take it off the day it was written, so the week's
    figures count what readers can see. Caller commits."""
    db.session.execute(
        update(CommunityActivity)
        .where(
            CommunityActivity.day == as_utc(post.created_at).date(),
            CommunityActivity.community_id == post.thread.community_id,
            CommunityActivity.posts > 0,
        )
        .values(posts=CommunityActivity.posts - 1)
    )


def record_post_shown(post: Post) -> None:
    """A held post was released: count it again on the day it was written. Caller commits."""
    record_activity(post.thread.community_id, posts=1, day=as_utc(post.created_at).date())


def weekly_activity() -> dict[int, Activity]:
    """community id -> new threads and posts over the last seven days, today included: one
    range of the day-first key, at most a week of rows per community."""
    since = utcnow().date() - timedelta(days=WEEK_DAYS - 1)
    rows = db.session.execute(
        select(
            CommunityActivity.community_id,
            func.sum(CommunityActivity.threads),
            func.sum(CommunityActivity.posts),
        )
        .where(CommunityActivity.day >= since)
        .group_by(CommunityActivity.community_id)
    )
    return {community_id: Activity(int(t), int(p)) for community_id, t, p in rows}
