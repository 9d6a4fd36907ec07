"""The owners' reports read from the records themselves: the membership funnel (requests,
decisions, invitations, first posts) and responsiveness (time to a first reply)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Row, func, select

from community.extensions import db
from community.forum.models import Community, Post, Thread
from community.membership.models import Invitation, MembershipRequest, RequestStatus
from community.metrics.conversations import earlier, live_first_replies
from community.metrics.models import ThreadReply
from community.metrics.periods import Period
from community.metrics.report_types import (
    Figure,
    Report,
    day_bounds,
    hours,
    iso,
    median,
    percentile,
    ratio,
    rounded,
)

FIRST_POST_DAYS = 30
UNANSWERED_LIMIT = 50


def _funnel_counts(period: Period) -> dict[str, object]:
    start, end = day_bounds(period)
    requests = db.session.execute(
        select(
            MembershipRequest.id,
            MembershipRequest.eligible,
            MembershipRequest.status,
            MembershipRequest.created_at,
            MembershipRequest.decided_at,
        ).where(MembershipRequest.created_at >= start, MembershipRequest.created_at < end)
    ).all()
    joined = db.session.execute(
        select(Invitation.member_id, Invitation.accepted_at)
        .join(MembershipRequest, Invitation.request_id == MembershipRequest.id)
        .where(
            MembershipRequest.created_at >= start,
            MembershipRequest.created_at < end,
            Invitation.accepted_at.is_not(None),
            Invitation.member_id.is_not(None),
        )
    ).all()
    first_posts: dict[int | None, datetime] = {
        author_id: first_at
        for author_id, first_at in db.session.execute(
            select(Post.author_id, func.min(Post.created_at))
            .where(Post.author_id.in_({member_id for member_id, _ in joined}))
            .group_by(Post.author_id)
        )
    }
    posted = [
        member_id
        for member_id, accepted_at in joined
        if member_id in first_posts
        and accepted_at is not None
        and first_posts[member_id] <= accepted_at + timedelta(days=FIRST_POST_DAYS)
    ]
    decided = [r for r in requests if r.status != RequestStatus.PENDING.value and r.decided_at]
    approved = [r for r in requests if r.status == RequestStatus.APPROVED.value]
    return {
        "stages": [
            ("Requests", len(requests)),
            ("Eligible under the policy", sum(1 for r in requests if r.eligible)),
            ("Approved", len(approved)),
            ("Invitation accepted", len(joined)),
            (f"First post within {FIRST_POST_DAYS} days", len(posted)),
        ],
        "approval_rate": ratio(len(approved), len(decided)),
        "decision_hours": median([hours(r.decided_at - r.created_at) for r in decided]),
    }


def membership_funnel(period: Period) -> Report:
    now, before = _funnel_counts(period), _funnel_counts(period.previous)
    stages: list[tuple[str, int]] = now["stages"]  # type: ignore[assignment]
    requests = stages[0][1]
    rows: list[list[object]] = []
    for n, (stage, count) in enumerate(stages):
        rows.append(
            [stage, count, ratio(count, requests), ratio(count, stages[n - 1][1]) if n else None]
        )
    return Report(
        key="funnel",
        title="Membership funnel",
        columns=["stage", "people", "percent_of_requests", "percent_of_previous_stage"],
        rows=rows,
        definition="The requests made in the period, followed to today: how many were eligible "
        "when made, approved, turned into a member, and posted within 30 days of joining.",
        figures=[
            Figure(
                "Approval rate",
                now["approval_rate"],  # type: ignore[arg-type]
                before["approval_rate"],  # type: ignore[arg-type]
                "Approved requests as a share of the period's requests decided so far.",
                unit="%",
            ),
            Figure(
                "Median time to decision",
                rounded(now["decision_hours"]),  # type: ignore[arg-type]
                rounded(before["decision_hours"]),  # type: ignore[arg-type]
                "Hours from a request to its approval or decline, median over the period's "
                "decided requests.",
                unit=" h",
            ),
        ],
        empty="Nobody asked to join in this period.",
    )


def _first_replies(period: Period) -> list[tuple[int, str, str, datetime, datetime | None]]:
    """Each thread started in the period with the time of its first reply by someone other
    than its author (None if there is none yet). Held and deleted ones are left out."""
    start, end = day_bounds(period)
    live = live_first_replies(period.start)
    rows: Sequence[Row[int, str, str, datetime, datetime | None, datetime | None]] = (
        db.session.execute(
            select(
                Thread.id,
                Thread.title,
                Community.name,
                Thread.created_at,
                ThreadReply.first_reply_at,
                live.c.replied_at,
            )
            .join(Community, Thread.community_id == Community.id)
            .outerjoin(ThreadReply, ThreadReply.thread_id == Thread.id)
            .outerjoin(live, live.c.thread_id == Thread.id)
            .where(
                Thread.created_at >= start,
                Thread.created_at < end,
                Thread.deleted_at.is_(None),
                Thread.held_reason == "",
            )
            .order_by(Thread.created_at, Thread.id)
        ).all()
    )
    return [
        (thread_id, title, where, created, earlier(stored, live_reply))
        for thread_id, title, where, created, stored, live_reply in rows
    ]


def _reply_figures(threads: list) -> dict[str, float | None]:
    waits = [hours(replied - created) for *_, created, replied in threads if replied]
    return {
        "median": rounded(median(waits)),
        "p90": rounded(percentile(waits, 0.9)),
        "rate": ratio(len(waits), len(threads)),
    }


def responsiveness(period: Period) -> Report:
    threads = _first_replies(period)
    now, before = _reply_figures(threads), _reply_figures(_first_replies(period.previous))
    period_end = day_bounds(period)[1]
    unanswered = [
        [thread_id, title, where, iso(created.date()), (period_end - created).days]
        for thread_id, title, where, created, replied in threads
        if replied is None
    ][:UNANSWERED_LIMIT]
    return Report(
        key="responsiveness",
        title="Responsiveness",
        columns=["thread_id", "title", "community", "started", "days_waiting"],
        rows=unanswered,
        definition=f"Threads started in the period that nobody but their author has replied "
        f"to yet, oldest first (at most {UNANSWERED_LIMIT}); days counted to the period's end.",
        figures=[
            Figure(
                "Median time to first reply",
                now["median"],
                before["median"],
                "Hours from a thread's start to the first reply by another member, median over "
                "the period's answered threads (the author's own replies do not count).",
                unit=" h",
            ),
            Figure(
                "90th percentile",
                now["p90"],
                before["p90"],
                "Nine in ten answered threads had their first reply within this many hours.",
                unit=" h",
            ),
            Figure(
                "Response rate",
                now["rate"],
                before["rate"],
                "Share of the period's threads with a reply from another member.",
                unit="%",
            ),
        ],
        empty="Every thread started in this period has an answer.",
    )
