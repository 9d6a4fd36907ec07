"""The owners' reports on activity: active members, participation, content and search.

Each report is a fixed number of aggregate queries over the daily rollups (or, for search,
over the period's search events), whatever the number of events: the dashboard's cost does
not grow with the community's activity, only with the length of the period.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, case, func, select

from community.core.clock import utcnow
from community.extensions import db
from community.forum.models import Community, Post, Thread
from community.library.models import Resource
from community.metrics.live import (
    SiteFigures,
    member_totals,
    object_totals,
    posting_days,
    site_days,
)
from community.metrics.models import MemberDay, MetricEvent
from community.metrics.periods import Period
from community.metrics.report_types import Figure, Report, day_bounds, iso, ratio, rounded

TOP_CONTENT = 10
TOP_QUERIES = 25


def _active_figures(period: Period, site: dict[date, SiteFigures]) -> dict[str, Any]:
    days = period.each_day()
    dau = [site[day].members if day in site else 0 for day in days]
    mau = [site[day].members_month if day in site else 0 for day in days]
    daily_stickiness = [dau[n] / mau[n] for n in range(len(days)) if mau[n]]
    end = site.get(period.end)
    return {
        "dau": sum(dau) / len(days),
        "wau": end.members_week if end else 0,
        "mau": end.members_month if end else 0,
        "stickiness": 100 * sum(daily_stickiness) / len(daily_stickiness)
        if daily_stickiness
        else None,
        "daily": list(zip(days, dau, mau, strict=True)),
    }


def active_members(period: Period) -> Report:
    previous = period.previous
    site = site_days(previous.start, period.end)
    now, before = _active_figures(period, site), _active_figures(previous, site)
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


def _participation_figures(period: Period) -> dict[str, float | None]:
    """The period's 90-9-1 and top-tenth figures from each member's sums over it."""
    totals = member_totals(period.start, period.end)
    rows: Sequence[Row[int, int, int]] = db.session.execute(
        select(totals.c.member_id, totals.c.threads, totals.c.replies)
    ).all()
    posts_by_member: Counter[int] = Counter()
    creators = contributors = threads = replies = 0
    for member_id, summed_threads, summed_replies in rows:
        # PostgreSQL sums are decimals: counted as the integers they are.
        member_threads, member_replies = int(summed_threads), int(summed_replies)
        threads += member_threads
        replies += member_replies
        posts_by_member[member_id] = member_threads + member_replies
        if member_threads:
            creators += 1
        elif member_replies:
            contributors += 1
    present = len(rows)
    top = math.ceil(len(+posts_by_member) / 10)
    top_posts = sum(count for _, count in (+posts_by_member).most_common(top))
    return {
        "threads": threads / period.days,
        "posts": (threads + replies) / period.days,
        "creators": ratio(creators, present),
        "contributors": ratio(contributors, present),
        "readers": ratio(present - creators - contributors, present),
        "top_share": ratio(top_posts, threads + replies),
    }


def _new_contributors(period: Period) -> dict[str, int]:
    """{"now": members whose first thread or reply ever is in the period, "before": ... in
    the previous one}, from the index of the days each member posted."""
    previous = period.previous
    today = utcnow().date()
    posted = MemberDay.threads + MemberDay.replies > 0
    first_rolled = (
        select(MemberDay.member_id, func.min(MemberDay.day).label("first_day"))
        .where(posted, MemberDay.day < today)
        .group_by(MemberDay.member_id)
    )
    firsts: dict[int, date] = {
        member_id: first_day
        for member_id, first_day in db.session.execute(
            first_rolled.having(func.min(MemberDay.day) >= previous.start)
        )
    }
    if period.start <= today <= period.end:
        live = member_totals(today, today)
        earlier = select(MemberDay.member_id).where(posted, MemberDay.day < today)
        newcomers: Sequence[int] = db.session.scalars(
            select(live.c.member_id).where(
                live.c.threads + live.c.replies > 0, live.c.member_id.not_in(earlier)
            )
        ).all()
        for member_id in newcomers:
            firsts.setdefault(member_id, today)
    counts = {"now": 0, "before": 0}
    for first_day in firsts.values():
        if period.start <= first_day <= period.end:
            counts["now"] += 1
        elif previous.start <= first_day <= previous.end:
            counts["before"] += 1
    return counts


def participation(period: Period) -> Report:
    posting = posting_days(period.start, period.end)
    newcomers = _new_contributors(period)
    now = _participation_figures(period)
    before = _participation_figures(period.previous)
    table: list[list[object]] = []
    for day in period.each_day():
        t, r, c = posting.get(day, (0, 0, 0))
        table.append([iso(day), t, r, t + r, c])
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
    totals = object_totals(period.start, period.end)
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
