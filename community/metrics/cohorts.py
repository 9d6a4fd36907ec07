"""Retention cohorts by join month, and each community's health against its own history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, case, func, literal, select, union_all

from community.extensions import db
from community.forum.models import Community, Thread
from community.members.models import Member
from community.metrics.conversations import live_first_replies, poster_rows, reaction_rows
from community.metrics.history import (
    HISTORY_PERIODS,
    against_usual,
    day_bucket,
    history_start,
    periods_back,
    time_bucket,
)
from community.metrics.live import member_totals
from community.metrics.models import CommunityDay, ThreadReply
from community.metrics.periods import Period
from community.metrics.report_types import (
    PRIVACY_FLOOR,
    SUPPRESSED,
    Report,
    day_bounds,
    floored,
    ratio,
    rounded,
)
from community.metrics.spans import RETENTION_MONTHS, month_starts

COHORT_MONTHS = RETENTION_MONTHS
HEALTH_PARTS = ("posters", "posts", "answered", "interactivity", "reading")


def _month_of(column: Any, months: list[date], as_time: bool) -> ColumnElement[int]:
    bounds: list[date | datetime] = (
        [datetime.combine(first, time.min, tzinfo=UTC) for first in months] if as_time else months
    )
    # Newest month first: the first bound the value reaches is its month.
    whens = [(column >= bound, n) for n, bound in reversed(list(enumerate(bounds)))]
    return case(*whens, else_=None)


def retention(period: Period) -> Report:
    """Per join month, the share of its members who came back in each later month."""
    months = month_starts(period.end)
    joined = _month_of(Member.created_at, months, as_time=True)
    members = select(Member.id, joined.label("cohort")).where(joined.is_not(None)).subquery()
    cohort_sizes: Sequence[Row[int, int]] = db.session.execute(
        select(members.c.cohort, func.count()).group_by(members.c.cohort)
    ).all()
    sizes = {cohort: size for cohort, size in cohort_sizes}
    # Each month's members who came (one stored span per month), counted per cohort in the
    # database: a dozen small rows come back instead of every member of every month.
    came = []
    for month, first in enumerate(months):
        last = months[month + 1] - timedelta(days=1) if month + 1 < len(months) else period.end
        totals = member_totals(first, min(last, period.end))
        came.append(
            select(members.c.cohort, literal(month).label("month")).join(
                totals, totals.c.member_id == members.c.id
            )
        )
    both = union_all(*came).subquery()
    counted: Sequence[Row[int, int, int]] = db.session.execute(
        select(both.c.cohort, both.c.month, func.count()).group_by(both.c.cohort, both.c.month)
    ).all()
    active = {(cohort, month): count for cohort, month, count in counted}
    rows: list[list[object]] = []
    for cohort, first in enumerate(months):
        size = sizes.get(cohort, 0)
        if not size:
            continue
        cells: list[object] = []
        for later in range(cohort, len(months)):
            count = active.get((cohort, later), 0)
            small = size < PRIVACY_FLOOR or count < PRIVACY_FLOOR
            cells.append(SUPPRESSED if small else ratio(count, size))
        padding = [""] * (COHORT_MONTHS - len(cells))
        rows.append([first.strftime("%Y-%m"), floored(size), *cells, *padding])
    return Report(
        key="retention",
        title="Retention cohorts",
        columns=["joined", "members"] + [f"month_{n}" for n in range(COHORT_MONTHS)],
        rows=rows,
        definition=f"Members by the month they joined (the last {COHORT_MONTHS} months up to "
        "the period's end), and for their joining month (month 0) and each month after it, "
        "the share of them who visited at least once that month. A cell counting fewer than "
        f"{PRIVACY_FLOOR} members shows “<5”.",
        empty="Nobody joined in the last twelve months.",
    )


def _health_history(period: Period) -> dict[int, dict[str, list[float]]]:
    """{community id: {part: [value in bucket 0, 1, ...]}}, bucket 0 being the period."""
    first = history_start(period)
    since = day_bounds(Period(first, period.end, "custom"))[0]
    history: dict[int, dict[str, list[float]]] = defaultdict(
        lambda: {part: [0.0] * (HISTORY_PERIODS + 1) for part in HEALTH_PARTS}
    )
    # One grouped read per period rather than one over all five with a CASE per row: each
    # reads its range of the day index, and the CASE cost more than the rows (3x in SQLite).
    written, reacted = [], []
    for bucket, past in enumerate(periods_back(period)):
        posts = poster_rows(past.start, past.end)
        written.append(
            select(
                Thread.community_id,
                literal(bucket),
                func.sum(posts.c.posts),
                func.count(func.distinct(posts.c.author_id)),
            )
            .join(Thread, posts.c.thread_id == Thread.id)
            .group_by(Thread.community_id)
        )
        reactions = reaction_rows(past.start, past.end)
        reacted.append(
            select(Thread.community_id, literal(bucket), func.sum(reactions.c.reactions))
            .join(Thread, reactions.c.thread_id == Thread.id)
            .group_by(Thread.community_id)
        )
    written_rows: Sequence[Row[int, int, int, int]] = db.session.execute(union_all(*written)).all()
    for community_id, bucket, post_count, posters in written_rows:
        history[community_id]["posts"][bucket] = int(post_count)  # a decimal on PostgreSQL
        history[community_id]["posters"][bucket] = posters
    live = live_first_replies(first)
    answered_ever = (ThreadReply.thread_id.is_not(None) | live.c.thread_id.is_not(None)) & (
        # A thread whose author is gone has nobody "other than its author" to answer it.
        Thread.author_id.is_not(None)
    )
    started = time_bucket(Thread.created_at, period)
    for community_id, bucket, threads, answered in db.session.execute(
        select(
            Thread.community_id,
            started,
            func.count(Thread.id),
            func.count(case((answered_ever, Thread.id))),
        )
        .outerjoin(ThreadReply, ThreadReply.thread_id == Thread.id)
        .outerjoin(live, live.c.thread_id == Thread.id)
        .where(Thread.created_at >= since, Thread.deleted_at.is_(None), started.is_not(None))
        .group_by(Thread.community_id, started)
    ):
        history[community_id]["answered"][bucket] = ratio(answered, threads) or 0.0
    reacted_rows: Sequence[Row[int, int, int]] = db.session.execute(union_all(*reacted)).all()
    for where, when, given in reacted_rows:
        written_then = history[where]["posts"][when]
        history[where]["interactivity"][when] = int(given) / written_then if written_then else 0.0
    viewed = day_bucket(CommunityDay.day, period)
    reading: Sequence[Row[int, int, int]] = db.session.execute(
        select(CommunityDay.community_id, viewed, func.sum(CommunityDay.views))
        .where(CommunityDay.day.between(first, period.end))
        .group_by(CommunityDay.community_id, viewed)
    ).all()
    for viewed_in, viewed_when, views in reading:
        if viewed_when is not None:
            history[viewed_in]["reading"][viewed_when] = float(views or 0)
    return history


def health(period: Period) -> Report:
    """A 0-100 score per community: each part against the community's own recent history."""
    names: dict[int, str] = {
        id_: name
        for id_, name in db.session.execute(
            select(Community.id, Community.name).where(Community.archived_at.is_(None))
        )
    }
    scored: list[tuple[float | None, list[object]]] = []
    for community_id, parts in _health_history(period).items():
        if community_id not in names:
            continue
        scores = [against_usual(values[0], values[1:]) for values in parts.values()]
        known = [score for score in scores if score is not None]
        score = rounded(sum(known) / len(known)) if known else None
        scored.append(
            (
                score,
                [
                    names[community_id],
                    score,
                    floored(int(parts["posters"][0])),
                    int(parts["posts"][0]),
                    parts["answered"][0],
                    rounded(parts["interactivity"][0], 2),
                    int(parts["reading"][0]),
                ],
            )
        )
    scored.sort(key=lambda entry: (entry[0] is None, -(entry[0] or 0), str(entry[1][0])))
    rows = [row for _, row in scored]
    return Report(
        key="health",
        title="Community health",
        columns=[
            "community",
            "health",
            "posters",
            "posts",
            "answered_percent",
            "reactions_per_post",
            "thread_views",
        ],
        rows=rows,
        definition="Each part of a community's life in the period (growth: members who "
        "posted; activity: posts; responsiveness: share of new threads answered by another "
        "member; interactivity: reactions per post; reading: views of its threads) scored "
        f"against the community's own last {HISTORY_PERIODS} periods of the same length: 50 "
        "is its usual, 100 twice its usual or more, 0 nothing. Health is the mean of the "
        "parts that have a history. Posters under 5 show “<5”.",
        empty="No community had any activity in this period or before it.",
    )
