"""Who is in the room: the members by tier, level, region and company, how many of each came
in the period, and how many conversations brought people from different companies together.

Every count of members here is a breakdown cell, so each goes through the privacy floor.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import QueryableAttribute

from community.extensions import db
from community.forum.models import Community, Post, Thread
from community.members.levels import Level
from community.members.models import Member, MemberStatus, Tier
from community.metrics.live import member_days
from community.metrics.periods import Period
from community.metrics.report_types import (
    PRIVACY_FLOOR,
    Figure,
    Report,
    day_bounds,
    floored,
    floored_ratio,
    ratio,
)

FLOOR_NOTE = f"Groups of fewer than {PRIVACY_FLOOR} members show “<5”."


def _breakdown(
    name: str, column: QueryableAttribute[str], period: Period, labels: dict[str, str]
) -> list[list[object]]:
    days = member_days(period.start, period.end)
    came = select(days.c.member_id).distinct().subquery()
    rows = db.session.execute(
        select(column, func.count(Member.id), func.count(came.c.member_id))
        .join(Tier, Member.tier_id == Tier.id)
        .outerjoin(came, came.c.member_id == Member.id)
        .where(Member.status == MemberStatus.ACTIVE.value)
        .group_by(column)
        .order_by(func.count(Member.id).desc(), column)
    ).all()
    return [
        [
            name,
            labels.get(group, group) or "(not given)",
            floored(members),
            floored(active),
            floored_ratio(active, members),
        ]
        for group, members, active in rows
    ]


def who_is_in_the_room(period: Period) -> Report:
    tiers: dict[str, str] = {
        slug: name for slug, name in db.session.execute(select(Tier.slug, Tier.name))
    }
    levels = {level.value: level.label for level in Level}
    rows = _breakdown("tier", Tier.slug, period, tiers)
    rows += _breakdown("level", Member.level, period, levels)
    rows += _breakdown("region", Member.region, period, {})
    rows += _breakdown("company", Member.company, period, {})
    return Report(
        key="room",
        title="Who is in the room",
        columns=["breakdown", "group", "members", "active_in_period", "percent_active"],
        rows=rows,
        definition="Members (not suspended or revoked) by tier, level, region and company; "
        "how many of them visited in the period, and that share. " + FLOOR_NOTE,
        empty="There are no members yet.",
    )


def _conversations(period: Period) -> dict[int, list[int]]:
    """{community id: [threads with two posters or more, of which cross-company, members]}
    over the posts written in the period."""
    start, end = day_bounds(period)
    per_thread = db.session.execute(
        select(
            Thread.community_id,
            Post.thread_id,
            func.count(func.distinct(Post.author_id)),
            func.count(func.distinct(func.nullif(Member.company, ""))),
        )
        .join(Thread, Post.thread_id == Thread.id)
        .join(Member, Post.author_id == Member.id)
        .where(Post.created_at >= start, Post.created_at < end, Post.deleted_at.is_(None))
        .group_by(Thread.community_id, Post.thread_id)
    ).all()
    members: dict[int, int] = {
        community_id: count
        for community_id, count in db.session.execute(
            select(Thread.community_id, func.count(func.distinct(Post.author_id)))
            .join(Thread, Post.thread_id == Thread.id)
            .where(Post.created_at >= start, Post.created_at < end, Post.deleted_at.is_(None))
            .group_by(Thread.community_id)
        )
    }
    result: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for community_id, _thread, posters, companies in per_thread:
        if posters >= 2:
            result[community_id][0] += 1
            result[community_id][1] += 1 if companies >= 2 else 0
        result[community_id][2] = members.get(community_id, 0)
    return result


def cross_company(period: Period) -> Report:
    now, before = _conversations(period), _conversations(period.previous)
    names: dict[int, str] = {
        id_: name for id_, name in db.session.execute(select(Community.id, Community.name))
    }
    rows: list[list[object]] = [
        [names.get(community_id, ""), threads, cross, floored(posters)]
        if posters >= PRIVACY_FLOOR
        else [names.get(community_id, ""), floored(posters), floored(posters), floored(posters)]
        for community_id, (threads, cross, posters) in sorted(
            now.items(), key=lambda item: (-item[1][1], -item[1][0], names.get(item[0], ""))
        )
        if threads
    ]

    def share(counts: dict[int, list[int]]) -> float | None:
        return ratio(sum(c[1] for c in counts.values()), sum(c[0] for c in counts.values()))

    return Report(
        key="cross-company",
        title="Cross-company conversations",
        columns=["community", "conversations", "cross_company", "members_posting"],
        rows=rows,
        definition="Per community: threads in which at least two members posted in the period "
        "(conversations), those whose posters work for at least two companies, and the members "
        "who posted. Communities where fewer than 5 members posted show “<5” throughout.",
        figures=[
            Figure(
                "Cross-company share",
                share(now),
                share(before),
                "Conversations with posters from two companies or more, as a share of all "
                "conversations (threads with two posters or more in the period).",
                unit="%",
            )
        ],
        empty="No thread had two posters in this period.",
    )
