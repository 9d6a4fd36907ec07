"""The weekly owners' summary: the headline figures of the last seven days and their change
from the seven before, emailed to every owner by the job runner through the ordinary mail
queue. The job checks hourly and sends when a week has passed since the last summary, which
is remembered as an activity event (so a restart neither skips nor repeats a week)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from community.core.clock import utcnow
from community.core.events import commit
from community.core.mail import send_email
from community.core.urls import external_url
from community.extensions import db
from community.members.models import Member, MemberStatus, Role
from community.metrics.catalogue import build_report
from community.metrics.models import MetricEvent
from community.metrics.periods import Period, last_days
from community.metrics.report_types import Figure

SUMMARY_CHECK_SECONDS = 60 * 60
SUMMARY_EVERY = timedelta(days=7)
# (report, figure label) of the headline figures, in the order the email lists them.
HEADLINES = [
    ("active", "DAU"),
    ("active", "WAU"),
    ("active", "Stickiness"),
    ("participation", "Posts a day"),
    ("participation", "New contributors"),
    ("responsiveness", "Median time to first reply"),
    ("responsiveness", "Response rate"),
    ("library-kinds", "Library readers"),
    ("events", "RSVPs"),
    ("searches", "Searches"),
]


def headline_figures(period: Period) -> list[Figure]:
    reports = {key: build_report(key, period) for key in dict.fromkeys(k for k, _ in HEADLINES)}
    figures = {(key, f.label): f for key, report in reports.items() for f in report.figures}
    return [figures[headline] for headline in HEADLINES]


def last_summary_at() -> datetime | None:
    return db.session.scalar(
        select(func.max(MetricEvent.created_at)).where(
            MetricEvent.action == "summary", MetricEvent.object_type == "owners-email"
        )
    )


def send_weekly_summary() -> int:
    """Queue the summary to every active owner if a week has passed; returns how many."""
    now = utcnow()
    last = last_summary_at()
    if last is not None and now - last < SUMMARY_EVERY:
        return 0
    owners = list(
        db.session.scalars(
            select(Member).where(
                Member.role == Role.OWNER.value, Member.status == MemberStatus.ACTIVE.value
            )
        )
    )
    period = last_days(7)
    figures = headline_figures(period)
    link = external_url("metrics.dashboard", period="7")
    for owner in owners:
        send_email(
            owner.email,
            f"Council this week: {period.start:%d %b} to {period.end:%d %b}",
            "metrics_summary",
            owner=owner,
            period=period,
            figures=figures,
            dashboard_url=link,
        )
    db.session.add(
        MetricEvent(
            member_id=None,
            action="summary",
            object_type="owners-email",
            object_id=0,
            day=now.date(),
            created_at=now,
            quantity=len(owners),
        )
    )
    commit()
    return len(owners)
