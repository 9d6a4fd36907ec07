"""Activity events, recorded without making a page wait.

A request only appends a small record to this process's buffer (no query, no write); the
``metrics-flush`` job writes the buffer every few seconds in one multi-row INSERT, drops the
once-a-day events (visits, page views) that another process already wrote today, fills in
each thread's or post's community, and moves members' ``last_seen_at`` on (at most once an
hour each). If the process dies between flushes its last few seconds of events are lost:
these are counts for the owners, not records anybody relies on.

Writes that already have a unit of work (an RSVP, a completion) keep recording through
``metrics.services.record`` inside it; posts, replies, reactions and joins arrive here as
domain events after their commit.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import Flask, Response, current_app, request
from flask_login import current_user
from sqlalchemy import delete, insert, select, update

from community.core.clock import utcnow
from community.core.domain_events import MemberJoined, PostCreated, ReactionAdded, ThreadAssigned
from community.core.events import commit, subscribe
from community.extensions import db
from community.forum.models import Post, Thread
from community.members.models import Member
from community.metrics.models import METRIC_EVENT_TABLE, MetricEvent

log = logging.getLogger(__name__)

FLUSH_EVERY_SECONDS = 5
# Past this many pending events a request flushes on its way out: only a process whose jobs
# do not run (RUN_JOBS off) ever gets here, and then once per this many events.
FLUSH_AT = 1000
LAST_SEEN_EVERY = timedelta(hours=1)
# The once-a-day memory is only a shortcut (the flush checks the table too): bound it.
SEEN_LIMIT = 200_000

# GET pages whose view is an event: endpoint -> (object type, URL argument with its id).
# The library records its own resource views inside its service.
VIEWED_PAGES = {
    "forum.thread": ("thread", "thread_id"),
    "events.show": ("event", "event_id"),
}
# Followed links (a redirect on success) recorded each time: endpoint -> (verb, type, arg).
FOLLOWED_LINKS = {
    "notifications.open": ("open", "notification", "notification_id"),
}
_EXTENSION = "community.metrics_buffer"


@dataclass(frozen=True)
class Activity:
    member_id: int | None
    action: str
    object_type: str
    object_id: int
    at: datetime
    once_per_day: bool = False
    community_id: int | None = None
    detail: str = ""
    quantity: int | None = None

    def day_key(self) -> tuple[int | None, str, str, int, date]:
        return (self.member_id, self.action, self.object_type, self.object_id, self.at.date())


@dataclass
class ActivityBuffer:
    """What this process recorded since the last flush. Thread-safe: under the threading
    server requests append concurrently with the flush job."""

    pending: list[Activity] = field(default_factory=list)
    seen_today: set[tuple[int | None, str, str, int, date]] = field(default_factory=set)
    last_touched: dict[int, datetime] = field(default_factory=dict)
    touch: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, activity: Activity) -> bool:
        """Queue one event; False when it is a once-a-day event already queued today."""
        with self.lock:
            if activity.once_per_day:
                key = activity.day_key()
                if key in self.seen_today:
                    return False
                if len(self.seen_today) >= SEEN_LIMIT:
                    self.seen_today.clear()
                self.seen_today.add(key)
            self.pending.append(activity)
            return True

    def note_presence(self, member_id: int, now: datetime) -> None:
        """Ask the next flush to move the member's ``last_seen_at`` on, at most hourly."""
        with self.lock:
            last = self.last_touched.get(member_id)
            if last is None or now - last >= LAST_SEEN_EVERY:
                self.last_touched[member_id] = now
                self.touch.add(member_id)

    def take(self) -> tuple[list[Activity], set[int]]:
        with self.lock:
            pending, self.pending = self.pending, []
            touch, self.touch = self.touch, set()
            today = utcnow().date()
            self.seen_today = {key for key in self.seen_today if key[4] == today}
            return pending, touch

    def size(self) -> int:
        return len(self.pending)


def get_buffer(app: Flask | None = None) -> ActivityBuffer:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions.setdefault(_EXTENSION, ActivityBuffer())


def discard_pending(app: Flask) -> None:
    """Forget everything buffered and remembered (tests start each from nothing)."""
    app.extensions[_EXTENSION] = ActivityBuffer()


def note(
    member_id: int | None,
    action: str,
    object_type: str,
    object_id: int,
    *,
    once_per_day: bool = False,
    community_id: int | None = None,
    detail: str = "",
    quantity: int | None = None,
) -> bool:
    """Buffer one activity event; it reaches the table with the next flush."""
    return get_buffer().add(
        Activity(
            member_id=member_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            at=utcnow(),
            once_per_day=once_per_day,
            community_id=community_id,
            detail=detail[:200],
            quantity=quantity,
        )
    )


def _already_recorded(batch: list[Activity]) -> set[tuple[int | None, str, str, int, date]]:
    """The once-a-day events of the batch that are in the table already (another process, or
    this one before a restart, wrote them today): one query for the whole batch."""
    daily = [a for a in batch if a.once_per_day and a.member_id is not None]
    if not daily:
        return set()
    rows = db.session.execute(
        select(
            MetricEvent.member_id,
            MetricEvent.action,
            MetricEvent.object_type,
            MetricEvent.object_id,
            MetricEvent.day,
        ).where(
            MetricEvent.member_id.in_({a.member_id for a in daily}),
            MetricEvent.day.in_({a.at.date() for a in daily}),
            MetricEvent.action.in_({a.action for a in daily}),
        )
    )
    return {tuple(row) for row in rows}  # type: ignore[misc]


def _communities(batch: list[Activity]) -> dict[tuple[str, int], int]:
    """The community of each thread and post the batch names without one."""
    wanted = {
        kind: {a.object_id for a in batch if a.object_type == kind and a.community_id is None}
        for kind in ("thread", "post")
    }
    found: dict[tuple[str, int], int] = {}
    if wanted["thread"]:
        for thread_id, community_id in db.session.execute(
            select(Thread.id, Thread.community_id).where(Thread.id.in_(wanted["thread"]))
        ):
            found["thread", thread_id] = community_id
    if wanted["post"]:
        for post_id, community_id in db.session.execute(
            select(Post.id, Thread.community_id)
            .join(Thread, Post.thread_id == Thread.id)
            .where(Post.id.in_(wanted["post"]))
        ):
            found["post", post_id] = community_id
    return found


def flush_activity() -> int:
    """Write what this process buffered; returns how many events were written."""
    batch, touch = get_buffer().take()
    if not batch and not touch:
        return 0
    recorded = _already_recorded(batch)
    communities = _communities(batch)
    rows, queued = [], set()
    for activity in batch:
        key = activity.day_key()
        if activity.once_per_day and (key in recorded or key in queued):
            continue
        queued.add(key)
        rows.append(
            {
                "member_id": activity.member_id,
                "action": activity.action,
                "object_type": activity.object_type,
                "object_id": activity.object_id,
                "community_id": activity.community_id
                or communities.get((activity.object_type, activity.object_id)),
                "day": activity.at.date(),
                "created_at": activity.at,
                "detail": activity.detail,
                "quantity": activity.quantity,
            }
        )
    if rows:
        db.session.execute(insert(METRIC_EVENT_TABLE), rows)
    if touch:
        now = utcnow()
        db.session.execute(
            update(Member)
            .where(
                Member.id.in_(touch),
                (Member.last_seen_at.is_(None)) | (Member.last_seen_at < now - LAST_SEEN_EVERY),
            )
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
    commit()
    return len(rows)


def prune_activity() -> int:
    """Delete events older than the retention period (the rollups keep their counts)."""
    keep_days = current_app.config["METRICS_RETENTION_DAYS"]
    cutoff = utcnow().date() - timedelta(days=keep_days)
    result = db.session.execute(delete(MetricEvent).where(MetricEvent.day < cutoff))
    commit()
    return result.rowcount or 0  # type: ignore[attr-defined]


def record_request(response: Response) -> Response:
    """After each page: a member's visit (once a day), their presence, and the page view or
    followed link the page stands for. Appends to the buffer only."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static" or request.method != "GET":
        return response
    if not current_user.is_authenticated or response.status_code >= 400:
        return response
    member_id = current_user.id
    note(member_id, "visit", "site", 0, once_per_day=True)
    get_buffer().note_presence(member_id, utcnow())
    args = request.view_args or {}
    if endpoint in VIEWED_PAGES and response.status_code == 200:
        object_type, argument = VIEWED_PAGES[endpoint]
        note(member_id, "view", object_type, args[argument], once_per_day=True)
    elif endpoint in FOLLOWED_LINKS:
        action, object_type, argument = FOLLOWED_LINKS[endpoint]
        note(member_id, action, object_type, args[argument])
    if get_buffer().size() >= FLUSH_AT:
        flush_activity()
    return response


def _on_post_created(event: PostCreated) -> None:
    """A thread's first post counts as starting it; every later one as a reply."""
    row = db.session.execute(
        select(Post.author_id, Post.number, Post.thread_id, Thread.community_id)
        .join(Thread, Post.thread_id == Thread.id)
        .where(Post.id == event.post_id)
    ).first()
    if row is None:
        return
    author_id, number, thread_id, community_id = row
    if number == 1:
        note(author_id, "post", "thread", thread_id, community_id=community_id)
    else:
        note(author_id, "reply", "post", event.post_id, community_id=community_id)


def _on_reaction_added(event: ReactionAdded) -> None:
    note(event.member_id, "react", "post", event.post_id, detail=event.kind)


def _on_member_joined(event: MemberJoined) -> None:
    note(event.member_id, "accept", "invitation", event.member_id)


def _on_thread_assigned(event: ThreadAssigned) -> None:
    """The moderator's action, with the assignee as its quantity (the Responsiveness report
    times the assignee's answer from it). Not the assignee's: being named is no visit."""
    note(event.actor_id, "assign", "thread", event.thread_id, quantity=event.assignee_id)


def subscribe_recorders() -> None:
    subscribe(PostCreated, _on_post_created)
    subscribe(ThreadAssigned, _on_thread_assigned)
    subscribe(ReactionAdded, _on_reaction_added)
    subscribe(MemberJoined, _on_member_joined)
