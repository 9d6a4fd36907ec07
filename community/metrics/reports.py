"""The owners' reports on activity: active members, participation, content and search.

Each report is a fixed number of aggregate queries over the daily rollups (or, for search,
over the period's search events), whatever the number of events: the dashboard's cost does
not grow with the community's activity, only with the length of the period.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Row, case, func, select

from community.extensions import db
from community.forum.models import Community, Post, Thread
from community.library.models import Resource
from community.metrics.live import BEGINNING, member_days, object_days
from community.metrics.models import MetricEvent
from community.metrics.periods import Period
from community.metrics.report_types import Figure, Report, day_bounds, iso, ratio, rounded

TOP_CONTENT = 10
TOP_QUERIES = 25
MAU_DAYS = 30
WAU_DAYS = 7


def _active_by_day(first: date, last: date) -> dict[date, set[int]]:
    active: dict[date, set[int]] = defaultdict(set)
    days = member_days(first, last)
    rows: Sequence[Row[date, int]] = db.session.execute(select(days.c.day, days.c.member_id)).all()
    for day, member_id in rows:
        active[day].add(member_id)
    return active


def _rolling_distinct(active: dict[date, set[int]], first: date, last: date, width: int):
    """{day: members active in the ``width`` days ending on that day}, for first..last."""
    window: Counter[int] = Counter()
    result: dict[date, int] = {}
    day = first - timedelta(days=width - 1)
    while day <= last:
        window.update(active.get(day, ()))
        leaving = day - timedelta(days=width)
        window.subtract(active.get(leaving, ()))
        window += Counter()  # drop members whose count fell to zero
        if day >= first:
            result[day] = len(window)
        day += timedelta(days=1)
    return result


def _active_figures(period: Period, active: dict[date, set[int]]) -> dict[str, Any]:
    days = period.each_day()
    dau = [len(active.get(day, ())) for day in days]
    mau = _rolling_distinct(active, period.start, period.end, MAU_DAYS)
    daily_stickiness = [dau[n] / mau[day] for n, day in enumerate(days) if mau[day]]
    last_week = {
        member for n in range(WAU_DAYS) for member in active.get(period.end - timedelta(days=n), ())
    }
    return {
        "dau": sum(dau) / len(days),
        "wau": len(last_week),
        "mau": mau[period.end],
        "stickiness": 100 * sum(daily_stickiness) / len(daily_stickiness)
        if daily_stickiness
        else None,
        "daily": list(zip(days, dau, (mau[day] for day in days), strict=True)),
    }


def active_members(period: Period) -> Report:
    previous = period.previous
    active = _active_by_day(previous.start - timedelta(days=MAU_DAYS - 1), period.end)
    now, before = _active_figures(period, active), _active_figures(previous, active)
    daily = now["daily"]
    return Report(
        key="active",
        title="Active members",
        columns=["date", "active_members", "active_last_30_days", "stickiness_percent"],
        # No visit at all: the empty state, not a column of zeros.
        rows=[[iso(day), dau, mau, ratio(dau, mau)] for day, dau, mau in daily]
        if any(dau for _, dau, _ in daily)
        else [],
        definition="Per UTC day: members who opened at least one page (a visit), members "
        "active in the 30 days ending that day, and their ratio.",
        figures=[
            Figure(
                "DAU",
                rounded(now["dau"]),
                rounded(before["dau"]),
                "Daily active members: members with at least one visit on a UTC day (each "
                "member once a day), averaged over the days of the period.",
            ),
            Figure(
                "WAU",
                now["wau"],
                before["wau"],
                "Weekly active members: distinct members with a visit in the 7 days ending on "
                "the period's last day.",
            ),
            Figure(
                "MAU",
                now["mau"],
                before["mau"],
                "Monthly active members: distinct members with a visit in the 30 days ending "
                "on the period's last day.",
            ),
            Figure(
                "Stickiness",
                rounded(now["stickiness"]),
                rounded(before["stickiness"]),
                "DAU divided by the MAU of the 30 days ending that day, averaged over the "
                "period's days: how often a member who comes in a month comes on a given day.",
                unit="%",
            ),
        ],
        empty="No member visited in this period.",
        chart={
            "kind": "line",
            "labels": [iso(day) for day, _, _ in daily],
            "series": {
                "Active members": [dau for _, dau, _ in daily],
                "Active in the last 30 days": [mau for _, _, mau in daily],
            },
        },
    )


def _participation_figures(
    period: Period, rows: Sequence[Row[date, int, int, int]]
) -> dict[str, float | None]:
    in_period = [row for row in rows if period.start <= row[0] <= period.end]
    posts_by_member: Counter[int] = Counter()
    creators, repliers, present = set(), set(), set()
    threads = replies = 0
    for _day, member_id, day_threads, day_replies in in_period:
        present.add(member_id)
        threads += day_threads
        replies += day_replies
        posts_by_member[member_id] += day_threads + day_replies
        if day_threads:
            creators.add(member_id)
        elif day_replies:
            repliers.add(member_id)
    contributors = repliers - creators
    top = math.ceil(len(+posts_by_member) / 10)
    top_posts = sum(count for _, count in (+posts_by_member).most_common(top))
    return {
        "threads": threads / period.days,
        "posts": (threads + replies) / period.days,
        "creators": ratio(len(creators), len(present)),
        "contributors": ratio(len(contributors), len(present)),
        "readers": ratio(len(present - creators - contributors), len(present)),
        "top_share": ratio(top_posts, threads + replies),
    }


def participation(period: Period) -> Report:
    previous = period.previous
    days = member_days(previous.start, period.end)
    rows: Sequence[Row[date, int, int, int]] = db.session.execute(
        select(days.c.day, days.c.member_id, days.c.threads, days.c.replies)
    ).all()
    ever = member_days(BEGINNING, period.end)
    first_contribution = (
        select(ever.c.member_id, func.min(ever.c.day).label("first_day"))
        .where((ever.c.threads + ever.c.replies) > 0)
        .group_by(ever.c.member_id)
        .subquery()
    )
    which = case((first_contribution.c.first_day >= period.start, "now"), else_="before")
    newcomers: dict[str, int] = dict(
        db.session.execute(
            select(which, func.count())
            .where(first_contribution.c.first_day.between(previous.start, period.end))
            .group_by(which)
        ).all()
    )
    now = _participation_figures(period, rows)
    before = _participation_figures(previous, rows)
    per_day: dict[date, list[int]] = {day: [0, 0, 0] for day in period.each_day()}
    for day, _member, threads, replies in rows:
        if day in per_day:
            per_day[day][0] += threads
            per_day[day][1] += replies
            per_day[day][2] += 1 if threads + replies else 0
    table = [[iso(day), t, r, t + r, c] for day, (t, r, c) in per_day.items()]
    if not any(row[3] for row in table):
        table = []  # nobody posted: the empty state, not a column of zeros

    def figure(label: str, name: str, definition: str, unit: str = "%") -> Figure:
        return Figure(label, rounded(now[name]), rounded(before[name]), definition, unit)

    return Report(
        key="participation",
        title="Participation",
        columns=["date", "threads_started", "replies", "posts", "contributors"],
        rows=table,
        definition="Per UTC day: threads started, replies, all posts, and members who posted.",
        figures=[
            figure("Threads a day", "threads", "Threads started, divided by days.", ""),
            figure("Posts a day", "posts", "Threads started plus replies, divided by days.", ""),
            Figure(
                "New contributors",
                newcomers.get("now", 0),
                newcomers.get("before", 0),
                "Members whose first recorded thread or reply falls in the period.",
            ),
            figure(
                "Creators",
                "creators",
                "Of the members active in the period (90-9-1): share who started a thread.",
            ),
            figure(
                "Contributors",
                "contributors",
                "Share of active members who replied but started no thread.",
            ),
            figure("Readers", "readers", "Share of active members who did not post."),
            figure(
                "Top 10% share",
                "top_share",
                "Share of the period's posts written by the 10% of posters who wrote most "
                "(rounded up to whole members).",
            ),
        ],
        empty="Nobody posted in this period.",
        chart={
            "kind": "bar",
            "labels": [row[0] for row in table],
            "series": {"Threads started": [r[1] for r in table], "Replies": [r[2] for r in table]},
        },
    )


def content(period: Period) -> Report:
    """The most viewed threads and resources, with their replies and downloads."""
    start, end = day_bounds(period)
    days = object_days(period.start, period.end)
    totals = (
        select(
            days.c.object_type,
            days.c.object_id,
            func.sum(days.c.views).label("views"),
            func.sum(days.c.downloads).label("downloads"),
        )
        .group_by(days.c.object_type, days.c.object_id)
        .subquery()
    )
    replies = (
        select(Post.thread_id, func.count().label("replies"))
        .where(Post.number > 1, Post.deleted_at.is_(None), Post.created_at.between(start, end))
        .group_by(Post.thread_id)
        .subquery()
    )
    threads = db.session.execute(
        select(
            Thread.id,
            Thread.title,
            Community.name,
            func.coalesce(totals.c.views, 0),
            func.coalesce(replies.c.replies, 0),
        )
        .join(Community, Thread.community_id == Community.id)
        .outerjoin(totals, (totals.c.object_type == "thread") & (totals.c.object_id == Thread.id))
        .outerjoin(replies, replies.c.thread_id == Thread.id)
        .where(Thread.deleted_at.is_(None))
        .where((totals.c.views > 0) | (replies.c.replies > 0))
        .order_by(
            func.coalesce(totals.c.views, 0).desc(),
            func.coalesce(replies.c.replies, 0).desc(),
            Thread.id,
        )
        .limit(TOP_CONTENT)
    ).all()
    resources = db.session.execute(
        select(Resource.id, Resource.title, totals.c.views, totals.c.downloads)
        .join(totals, (totals.c.object_type == "resource") & (totals.c.object_id == Resource.id))
        .order_by(totals.c.views.desc(), totals.c.downloads.desc(), Resource.id)
        .limit(TOP_CONTENT)
    ).all()
    rows: list[list[object]] = [
        ["thread", id_, title, where, views, "", replies_]
        for id_, title, where, views, replies_ in threads
    ]
    rows += [
        ["resource", id_, title, "Library", views, downloads, ""]
        for id_, title, views, downloads in resources
    ]
    return Report(
        key="content",
        title="Top threads and resources",
        columns=["kind", "id", "title", "where", "views", "downloads", "replies"],
        rows=rows,
        definition=f"The {TOP_CONTENT} most viewed threads (then most replied to) and "
        f"resources. Views count each member once a day; replies are posts after the first "
        "one written in the period.",
        empty="Nothing was viewed or replied to in this period.",
    )


def _search_rows(period: Period, only_misses: bool) -> list[list[object]]:
    words = func.lower(func.trim(MetricEvent.detail))
    misses = func.sum(case((MetricEvent.quantity == 0, 1), else_=0))
    query = (
        select(words, func.count(), misses, func.count(func.distinct(MetricEvent.member_id)))
        .where(MetricEvent.action == "search", MetricEvent.day.between(period.start, period.end))
        .group_by(words)
    )
    if only_misses:
        query = query.having(misses > 0).order_by(misses.desc(), func.count().desc(), words)
    else:
        query = query.order_by(func.count().desc(), words)
    return [list(row) for row in db.session.execute(query.limit(TOP_QUERIES))]


def _search_totals(period: Period) -> tuple[int, int]:
    searches, misses = db.session.execute(
        select(func.count(), func.count().filter(MetricEvent.quantity == 0)).where(
            MetricEvent.action == "search", MetricEvent.day.between(period.start, period.end)
        )
    ).one()
    return searches, misses


def searches(period: Period) -> Report:
    now, before = _search_totals(period), _search_totals(period.previous)
    return Report(
        key="searches",
        title="Top searches",
        columns=["query", "searches", "without_results", "members"],
        rows=_search_rows(period, only_misses=False),
        definition=f"The {TOP_QUERIES} most frequent searches (case and surrounding spaces "
        "ignored), how many found nothing, and how many members made them.",
        figures=[
            Figure("Searches", now[0], before[0], "Searches made by members in the period."),
            Figure(
                "Without results",
                ratio(now[1], now[0]),
                ratio(before[1], before[0]),
                "Share of searches that found nothing the member may see.",
                unit="%",
            ),
        ],
        empty="Nobody searched in this period.",
    )


def search_misses(period: Period) -> Report:
    return Report(
        key="search-misses",
        title="Searches with no results",
        columns=["query", "searches", "without_results", "members"],
        rows=_search_rows(period, only_misses=True),
        definition="What members looked for and did not find, most often missed first.",
        empty="Every search in this period found something.",
    )
