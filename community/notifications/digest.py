"""Personal daily and weekly digests, sent by ``community digest send --period daily|weekly``.

A digest gathers the member's unread notifications of the kinds they asked to receive in that
digest (each is emailed once, alone or in one digest, unless it has grown since), and, if they
want it, the threads started in their communities during the period. An empty digest is not
sent. ``DigestRun``'s unique key (member, period, period key) makes a second run for the same
day or week send nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from community import access
from community.core.clock import utcnow
from community.core.events import commit
from community.core.mail import send_email
from community.core.urls import external_url
from community.extensions import db
from community.forum.models import Thread
from community.forum.watching import muted_thread_ids
from community.members.models import Member, MemberStatus
from community.notifications.kinds import COMMUNITY_DIGEST, Channel
from community.notifications.models import DigestRun, Notification
from community.notifications.services import (
    current_settings,
    still_visible,
    unsubscribe_headers,
    unsubscribe_url,
)

PERIOD_LENGTH = {Channel.DAILY: timedelta(days=1), Channel.WEEKLY: timedelta(days=7)}
MAX_NOTIFICATIONS = 30
MAX_THREADS = 10


class Outcome(StrEnum):
    SENT = "sent"
    EMPTY = "nothing new"
    ALREADY_SENT = "already sent"


@dataclass
class Digest:
    notifications: list[Notification] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.notifications and not self.threads

    @property
    def size(self) -> int:
        return len(self.notifications) + len(self.threads)


def period_key(period: Channel, now: datetime) -> str:
    if period == Channel.DAILY:
        return now.date().isoformat()
    year, week, _ = now.isocalendar()
    return f"{year}-W{week:02d}"


def check_period(value: str) -> Channel:
    try:
        period = Channel(value)
    except ValueError:
        period = None
    if period not in PERIOD_LENGTH:
        raise ValueError("The period is daily or weekly.")
    return period


def build_digest(member: Member, period: Channel, now: datetime) -> Digest:
    since = now - PERIOD_LENGTH[period]
    settings = current_settings(member)
    kinds = [name for name, channel in settings.items() if channel == period]
    digest = Digest()
    if kinds:
        rows = db.session.scalars(
            select(Notification)
            .where(
                Notification.member_id == member.id,
                Notification.kind.in_(kinds),
                Notification.read_at.is_(None),
                # Not already in an email or an earlier digest, unless it has grown since.
                or_(
                    Notification.emailed_at.is_(None),
                    Notification.updated_at > Notification.emailed_at,
                ),
                Notification.updated_at > since,
            )
            .order_by(Notification.updated_at.desc())
            .limit(MAX_NOTIFICATIONS)
        )
        digest.notifications = [n for n in rows if still_visible(member, n)]
    if settings[COMMUNITY_DIGEST.name] == period:
        digest.threads = list(
            db.session.scalars(
                select(Thread)
                .where(
                    access.visible_threads_filter(member),
                    Thread.created_at > since,
                    Thread.author_id != member.id,
                    Thread.id.not_in(muted_thread_ids(member)),
                )
                .order_by(Thread.post_count.desc(), Thread.id.desc())
                .limit(MAX_THREADS)
            )
        )
    return digest


def send_digest(member: Member, period: Channel, now: datetime) -> Outcome:
    """Send ``member`` their digest for the period containing ``now``, at most once."""
    key = period_key(period, now)
    already = select(DigestRun.id).where(
        DigestRun.member_id == member.id, DigestRun.period == period, DigestRun.period_key == key
    )
    if db.session.scalar(already) is not None:
        return Outcome.ALREADY_SENT
    digest = build_digest(member, period, now)
    if digest.is_empty:
        return Outcome.EMPTY
    db.session.add(
        DigestRun(member_id=member.id, period=period, period_key=key, item_count=digest.size)
    )
    for notification in digest.notifications:
        notification.emailed_at = now
    unsubscribe = unsubscribe_url(member, f"digest:{period}")
    send_email(
        member.email,
        f"Your {period} Council digest: {digest.size} new for you",
        "digest",
        headers=unsubscribe_headers(unsubscribe),
        member=member,
        period=period.value,
        notifications=digest.notifications,
        threads=digest.threads,
        notification_links={
            n.id: external_url("notifications.open", notification_id=n.id)
            for n in digest.notifications
        },
        thread_links={t.id: external_url("forum.thread", thread_id=t.id) for t in digest.threads},
        unsubscribe_url=unsubscribe,
        settings_url=external_url("notifications.settings"),
    )
    try:
        commit()
    except IntegrityError:
        # Another run recorded this digest first; its email is the one that goes out.
        db.session.rollback()
        return Outcome.ALREADY_SENT
    return Outcome.SENT


def recipient_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(Member.id).where(Member.status == MemberStatus.ACTIVE).order_by(Member.id)
        )
    )


def send_digests(
    period: Channel,
    member_ids: list[int],
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[Outcome, int]:
    """Each listed member's digest for the period; returns how many had each outcome."""
    now = now or utcnow()
    totals = dict.fromkeys(Outcome, 0)
    for member_id in member_ids:
        member = db.session.get(Member, member_id)
        if member is not None and member.is_active:
            totals[send_digest(member, period, now)] += 1
        if progress is not None:
            progress(1)
    return totals
