"""Who is in the room: the members by tier, level, region and company, how many of each came
in the period, and how many conversations brought people from different companies together.

Every count of members here is a breakdown cell, so each goes through the privacy floor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Row, func, select

from community.extensions import db
from community.forum.models import Community, Thread
from community.members.levels import Level
from community.members.models import Member, MemberStatus, Tier
from community.metrics.conversations import poster_rows
from community.metrics.live import member_totals
from community.metrics.periods import Period
from community.metrics.report_types import (
    PRIVACY_FLOOR,
    Figure,
    Report,
    floored,
    floored_ratio,
    ratio,
)

FLOOR_NOTE = f"Groups of fewer than {PRIVACY_FLOOR} members show “<5”."
TOP_GROUPS = 20


def _cells(name: str, group: str, members: int, active: int) -> list[object]:
    return [name, group, floored(members), floored(active), floored_ratio(active, members)]


def _breakdown(
    name: str, groups: dict[str, list[int]], labels: dict[str, str]
) -> list[list[object]]:
    """One row per group, largest first; past ``TOP_GROUPS`` the rest share one row."""
    ordered = sorted(groups.items(), key=lambda item: (-item[1][0], item[0]))
    rows = [
        _cells(name, labels.get(group, group) or "(not given)", members, active)
        for group, (members, active) in ordered[:TOP_GROUPS]
    ]
    rest = ordered[TOP_GROUPS:]
    if rest:
        members = sum(counts[0] for _, counts in rest)
        active = sum(counts[1] for _, counts in rest)
        rows.append(_cells(name, f"{len(rest)} others", members, active))
    return rows


def who_is_in_the_room(period: Period) -> Report:
    """Every member's groups in one query (the membership, not the activity, sets its size)."""
    came = member_totals(period.start, period.end)
    breakdowns: dict[str, dict[str, list[int]]] = {
        name: defaultdict(lambda: [0, 0]) for name in ("tier", "level", "region", "company")
    }
    for tier, level, region, company, active in db.session.execute(
        select(Tier.slug, Member.level, Member.region, Member.company, came.c.member_id)
        .join(Tier, Member.tier_id == Tier.id)
        .outerjoin(came, came.c.member_id == Member.id)
        .where(Member.status == MemberStatus.ACTIVE.value)
    ):
        for name, group in (
            ("tier", tier),
            ("level", level),
            ("region", region),
            ("company", company),
        ):
            counts = breakdowns[name][str(group)]
            counts[0] += 1
            counts[1] += 1 if active is not None else 0
    tiers: dict[str, str] = {
        slug: name for slug, name in db.session.execute(select(Tier.slug, Tier.name))
    }
    levels = {level.value: level.label for level in Level}
    rows = _breakdown("tier", breakdowns["tier"], tiers)
    rows += _breakdown("level", breakdowns["level"], levels)
    rows += _breakdown("region", breakdowns["region"], {})
    rows += _breakdown("company", breakdowns["company"], {})
    return Report(
        key="room",
        title="Who is in the room",
        columns=["breakdown", "group", "members", "active_in_period", "percent_active"],
        rows=rows,
        definition="Members (not suspended or revoked) by tier, level, region and company; "
        f"how many of them visited in the period, and that share. Past the {TOP_GROUPS} "
        "largest groups of a breakdown, the others share one row. " + FLOOR_NOTE,
        empty="There are no members yet.",
    )


def _conversations(period: Period) -> dict[int, list[int]]:
    """{community id: [threads with two posters or more, of which cross-company, members]}
    over the posts written in the period."""
    posts = poster_rows(period.start, period.end)
    per_thread: Sequence[Row[int, int, int, int]] = db.session.execute(
        select(
            Thread.community_id,
            posts.c.thread_id,
            func.count(func.distinct(posts.c.author_id)),
            func.count(func.distinct(func.nullif(Member.company, ""))),
        )
        .join(Thread, posts.c.thread_id == Thread.id)
        .join(Member, posts.c.author_id == Member.id)
        .group_by(Thread.community_id, posts.c.thread_id)
    ).all()
    members: dict[int, int] = {
        community_id: count
        for community_id, count in db.session.execute(
            select(Thread.community_id, func.count(func.distinct(posts.c.author_id)))
            .join(Thread, posts.c.thread_id == Thread.id)
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
