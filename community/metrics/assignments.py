"""Assigned threads answered within the target time (Responsiveness).

A moderator marks a thread as needing a response from a named member; the recorder keeps an
``assign`` event (the moderator as its member, the assignee's id as its quantity) at that
moment. The assignment is answered by the assignee's first post in the thread after it,
that every reader sees. The target is ``COMMUNITY_METRICS_ASSIGNED_TARGET_HOURS``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from community import access
from community.core.clock import utcnow
from community.extensions import db
from community.forum.models import Community, Post, Thread
from community.metrics.models import MetricEvent
from community.metrics.periods import Period
from community.metrics.report_types import Figure, Report, hours, iso, median, ratio, rounded

ASSIGN = "assign"
ASSIGNED_LIMIT = 100


def _assignments(period: Period) -> list[tuple[int, str, str, datetime, datetime | None]]:
    """(thread, title, community, assigned at, answered at or None) of each assignment made
    in the period, oldest first. Deleted threads are left out."""
    answer = (
        select(func.min(Post.created_at))
        .where(
            Post.thread_id == MetricEvent.object_id,
            Post.author_id == MetricEvent.quantity,
            Post.created_at >= MetricEvent.created_at,
            access.posts_every_reader_sees_filter(),
        )
        .correlate(MetricEvent)
        .scalar_subquery()
    )
    return [
        (thread_id, title, community, assigned, answered)
        for thread_id, title, community, assigned, answered in db.session.execute(
            select(Thread.id, Thread.title, Community.name, MetricEvent.created_at, answer)
            .join(Thread, Thread.id == MetricEvent.object_id)
            .join(Community, Thread.community_id == Community.id)
            .where(
                # Only threads are assigned; naming the type would steer the planner to the
                # index of every thread view instead of the one of day and action.
                MetricEvent.action == ASSIGN,
                MetricEvent.day.between(period.start, period.end),
                Thread.deleted_at.is_(None),
            )
            .order_by(MetricEvent.created_at, MetricEvent.id)
        )
    ]


def _target() -> timedelta:
    return timedelta(hours=current_app.config["METRICS_ASSIGNED_TARGET_HOURS"])


def _figures(
    assignments: list[tuple[int, str, str, datetime, datetime | None]],
) -> dict[str, float | None]:
    """Within target: answered in time, over the assignments whose outcome is known (answered,
    or past the target unanswered); one still inside its target counts for neither side."""
    target, now = _target(), utcnow()
    waits = [answered - assigned for *_, assigned, answered in assignments if answered]
    in_time = sum(1 for wait in waits if wait <= target)
    late_or_open = sum(
        1 for *_, assigned, answered in assignments if answered is None and now - assigned > target
    )
    return {
        "within": ratio(in_time, len(waits) + late_or_open),
        "median": rounded(median([hours(wait) for wait in waits])),
    }


def _outcome(assigned: datetime, answered: datetime | None, target: timedelta) -> str:
    if answered is not None:
        return "yes" if answered - assigned <= target else "no"
    return "no" if utcnow() - assigned > target else "waiting"


def assigned_threads(period: Period) -> Report:
    assignments = _assignments(period)
    now, before = _figures(assignments), _figures(_assignments(period.previous))
    target = _target()
    target_hours = rounded(hours(target))
    rows: list[list[object]] = [
        [
            thread_id,
            title,
            community,
            iso(assigned.date()),
            rounded(hours(answered - assigned)) if answered else None,
            _outcome(assigned, answered, target),
        ]
        for thread_id, title, community, assigned, answered in assignments[:ASSIGNED_LIMIT]
    ]
    return Report(
        key="assigned",
        title="Assigned threads",
        columns=["thread_id", "title", "community", "assigned", "hours_to_answer", "within_target"],
        rows=rows,
        definition=f"Threads a moderator marked as needing a response from a named member in "
        f"the period, oldest first (at most {ASSIGNED_LIMIT}): hours from the assignment to "
        "that member's first post in the thread that every reader sees, and whether it came "
        f"within the target of {target_hours:g} hours (“waiting”: no answer yet, still "
        "inside the target).",
        figures=[
            Figure(
                "Answered within target",
                now["within"],
                before["within"],
                f"Assignments of the period answered by their assignee within {target_hours:g} "
                "hours, as a share of those answered or past the target; the ones still "
                "inside their target count for neither side.",
                unit="%",
            ),
            Figure(
                "Median time to answer",
                now["median"],
                before["median"],
                "Hours from an assignment to the assignee's answer, median over the "
                "period's answered assignments.",
                unit=" h",
            ),
        ],
        empty="No thread was assigned in this period.",
    )
