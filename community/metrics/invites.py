"""Invite quality: how active the people each member brought in are.

The inviter is the member who nominated the newcomer (the referrer their request named);
members who applied on their own form one more row, the baseline to compare inviters with.
Every cell counts members, so each goes through the privacy floor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Row, select
from sqlalchemy.orm import aliased

from community.extensions import db
from community.members.models import Member
from community.metrics.live import member_totals
from community.metrics.periods import Period
from community.metrics.report_types import (
    PRIVACY_FLOOR,
    SUPPRESSED,
    Figure,
    Report,
    day_bounds,
    floored,
    floored_ratio,
    ratio,
)

TOP_INVITERS = 25
ON_THEIR_OWN = "(applied on their own)"


def _invitees(period: Period) -> dict[int | None, list[int]]:
    """{inviter id (None: nobody): [invitees, active in the period, their posts]} over the
    members who had joined by the period's end."""
    totals = member_totals(period.start, period.end)
    end = day_bounds(period)[1]
    groups: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0])
    rows: Sequence[Row[int | None, int | None, int | None, int | None]] = db.session.execute(
        select(Member.referrer_id, totals.c.member_id, totals.c.threads, totals.c.replies)
        .outerjoin(totals, totals.c.member_id == Member.id)
        .where(Member.created_at < end)
    ).all()
    for referrer_id, active, threads, replies in rows:
        counts = groups[referrer_id]
        counts[0] += 1
        counts[1] += 1 if active is not None else 0
        counts[2] += int(threads or 0) + int(replies or 0)  # PostgreSQL sums are decimals
    return groups


def _share_active(groups: dict[int | None, list[int]]) -> float | None:
    nominated = [counts for inviter, counts in groups.items() if inviter is not None]
    return ratio(sum(c[1] for c in nominated), sum(c[0] for c in nominated))


def invite_quality(period: Period) -> Report:
    now, before = _invitees(period), _invitees(period.previous)
    inviter = aliased(Member)
    names: dict[int | None, str] = {
        id_: name
        for id_, name in db.session.execute(
            select(inviter.id, inviter.name).where(inviter.id.in_([i for i in now if i]))
        )
    }
    ordered = sorted(
        now.items(), key=lambda item: (item[0] is None, -item[1][0], names.get(item[0], ""))
    )
    rows: list[list[object]] = []
    for inviter_id, (invitees, active, posts) in ordered[:TOP_INVITERS]:
        name = ON_THEIR_OWN if inviter_id is None else names.get(inviter_id, "Former member")
        if invitees < PRIVACY_FLOOR:
            rows.append([name, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED])
            continue
        per_invitee = round(posts / invitees, 2)
        rows.append([name, invitees, floored(active), floored_ratio(active, invitees), per_invitee])
    return Report(
        key="invite-quality",
        title="Invite quality",
        columns=["inviter", "invitees", "active_in_period", "percent_active", "posts_per_invitee"],
        rows=rows if any(inviter is not None for inviter in now) else [],
        definition="Per member who brought others in (nominated them, and the nomination was "
        "accepted), the members they brought who had joined by the period's end: how many "
        "came at least once in the period, that share, and the threads and replies those "
        "members wrote in the period divided by the members brought. Members who applied on "
        f"their own form the last row, for comparison. At most {TOP_INVITERS} inviters, "
        f"most invitees first. An inviter who brought fewer than {PRIVACY_FLOOR} members "
        "shows “<5” throughout, and so does an active count under 5.",
        figures=[
            Figure(
                "Nominees active",
                _share_active(now),
                _share_active(before),
                "Of all members brought in by another member (joined by the period's end), "
                "the share who came at least once in the period.",
                unit="%",
            )
        ],
        empty="Nobody has joined through a member's nomination yet.",
    )
