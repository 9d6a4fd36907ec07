"""The durable outbound queue: every email, and work that must not run inside a request.

Two tables, one mechanism. ``queued_email`` holds rendered messages; ``queued_task`` holds small
named tasks (``enqueue_task("members.password_reset", email=...)``) whose handler a domain
registers in its ``init_app``. Rows are written in the caller's transaction, so a rolled-back
request queues nothing and a committed one loses nothing, even if the mail server is down.

``drain()`` runs every couple of seconds in ``community run`` (a job), at the end of every CLI
command that sends mail, and from ``community mail drain``. It claims due rows one by one with a
conditional UPDATE (safe with several processes draining at once), runs or sends each, and on a
failure backs off exponentially; after ``MAX_ATTEMPTS`` it stops retrying and logs. Each
message is its own row, so one bad message never holds back the others.

Domain events can be handled here too: ``subscribe_queued(ThreadCreated, on_thread_created)``
writes one task row in the publisher's own transaction (so a rolled-back write queues nothing and
a committed one cannot lose its task), and the worker rebuilds the event and calls the handler.
That is how notification fan-out leaves the request that committed.

Why tasks: the public forms (``/apply``, ``/password/forgot``) must take the same time whether
the address is known or not, so the request only records "asked for <address>" and the worker
does the address-dependent work.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any, TypeVar

from sqlalchemy import JSON, Boolean, Integer, LargeBinary, String, Text, false, select, update
from sqlalchemy.orm import Mapped, mapped_column

from community.core.clock import utcnow
from community.core.cpu import cooperate
from community.core.domain_events import DomainEvent, check_catalogued
from community.core.events import commit, subscribe_in_transaction
from community.core.mailers import get_mailer
from community.core.models import CreatedAtMixin, UTCDateTime, rows_changed
from community.extensions import Model, db

log = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(seconds=15)
LONGEST_RETRY = timedelta(hours=1)
# A claimed row is tried again after this long if its worker died while holding it.
CLAIM_LEASE = timedelta(minutes=5)


class _Queued(CreatedAtMixin):
    """What both queues share: when to try next (None: done or given up), and how it went."""

    id: Mapped[int] = mapped_column(primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, nullable=True, index=True, default=utcnow
    )
    last_error: Mapped[str] = mapped_column(Text, default="")


class QueuedEmail(_Queued, Model):
    __tablename__ = "queued_email"

    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    message: Mapped[bytes] = mapped_column(LargeBinary)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Once sent, a row keeps when and to whom, never what: the message held reset links and
    # other members' names. Mail to an address the site must not keep at all (the goodbye to
    # a deleted account) forgets the recipient too.
    forget_when_sent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class QueuedTask(_Queued, Model):
    __tablename__ = "queued_task"

    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


_handlers: dict[str, Callable[..., object]] = {}
# One of the two queues, whichever a helper is working on.
Queued = TypeVar("Queued", QueuedEmail, QueuedTask)
E = TypeVar("E", bound=DomainEvent)


def register_task(kind: str, handler: Callable[..., object]) -> None:
    """``handler(**payload)`` runs each queued task of this kind; it commits its own work."""
    _handlers[kind] = handler


def enqueue_task(kind: str, **payload: Any) -> None:
    """Queue a task in the current unit of work (it is queued only if that commits)."""
    if kind not in _handlers:
        raise ValueError(f"no handler is registered for the task {kind!r}")
    db.session.add(QueuedTask(kind=kind, payload=payload))


@dataclass(frozen=True)
class _EnqueueEvent:
    """At publish time: queue the event for one queued handler (equal ones subscribe once)."""

    kind: str

    def __call__(self, domain_event: DomainEvent) -> None:
        enqueue_task(self.kind, **asdict(domain_event))


@dataclass(frozen=True)
class _RunQueuedEvent:
    """In the worker: rebuild the event from the task's payload and handle it."""

    event_class: type[DomainEvent]
    handler: Callable[[Any], None]

    def __call__(self, **fields: Any) -> None:
        self.handler(self.event_class(**fields))


def queued_kind(event_class: type[DomainEvent], handler: Callable[..., object]) -> str:
    """The task kind under which ``subscribe_queued`` queues ``handler`` for ``event_class``."""
    return f"{event_class.__name__}:{handler.__name__}"


def subscribe_queued(event_class: type[E], handler: Callable[[E], None]) -> None:
    """Handle each ``event_class`` event in the job runner instead of the publishing request:
    for slow work such as notifying many members. ``handler`` commits its own work; a failure
    is retried like any task."""
    check_catalogued(event_class)
    kind = queued_kind(event_class, handler)
    if len(kind) > QueuedTask.kind.type.length:
        raise ValueError(f"the task name {kind!r} is too long; shorten the handler's name")
    registered = _handlers.get(kind)
    if registered is not None and registered != _RunQueuedEvent(event_class, handler):
        raise ValueError(f"two queued handlers are named {kind!r}")
    register_task(kind, _RunQueuedEvent(event_class, handler))
    subscribe_in_transaction(event_class, _EnqueueEvent(kind))


def enqueue_email(message: EmailMessage, *, forget_when_sent: bool = False) -> None:
    """Queue a rendered message in the current unit of work; ``forget_when_sent`` blanks the
    row's recipient too once the message is out (its content always goes)."""
    db.session.add(
        QueuedEmail(
            recipient=message["To"],
            subject=message["Subject"],
            message=bytes(message),
            forget_when_sent=forget_when_sent,
        )
    )


def pending_tasks(kinds: Iterable[str]) -> list[int]:
    """The ids of the tasks of these kinds not done yet (due, waiting to retry, or running)."""
    return list(
        db.session.scalars(
            select(QueuedTask.id).where(
                QueuedTask.kind.in_(list(kinds)), QueuedTask.done_at.is_(None)
            )
        )
    )


def settle_tasks(task_ids: Sequence[int]) -> int:
    """Mark these tasks done without running them, for a caller whose own work covered them
    (a full rebuild read everything their writes committed); returns how many were settled.
    The caller commits."""
    if not task_ids:
        return 0
    return rows_changed(
        update(QueuedTask)
        .where(QueuedTask.id.in_(task_ids), QueuedTask.done_at.is_(None))
        .values(done_at=utcnow(), next_attempt_at=None)
    )


@dataclass
class DrainResult:
    done: int = 0
    failed: int = 0
    stopped_by_outage: bool = False

    @property
    def touched(self) -> int:
        return self.done + self.failed


def retry_delay(attempts: int) -> timedelta:
    """15 s, 30 s, 1 min, ... doubling up to an hour between tries."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _due_ids(model: type[_Queued], now: datetime, limit: int) -> list[int]:
    return list(
        db.session.scalars(
            select(model.id)
            .where(model.next_attempt_at.is_not(None), model.next_attempt_at <= now)
            .order_by(model.next_attempt_at, model.id)
            .limit(limit)
        )
    )


def _claim(model: type[Queued], row_id: int, now: datetime) -> Queued | None:
    """Take one due row for this worker, or None when another worker got it first."""
    claimed = rows_changed(
        update(model)
        .where(model.id == row_id, model.next_attempt_at <= now)
        .values(next_attempt_at=now + CLAIM_LEASE, attempts=model.attempts + 1)
    )
    commit()
    if claimed != 1:
        return None
    return db.session.get(model, row_id)


def _record_failure(row: QueuedEmail | QueuedTask, error: BaseException, now: datetime) -> None:
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.next_attempt_at = None
        log.error(
            "gave up on %s %s after %s attempts: %s",
            row.__tablename__,
            row.id,
            row.attempts,
            row.last_error,
        )
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
    commit()


def _is_outage(error: BaseException) -> bool:
    """A failure of the server, not of this message: the rest of the batch would fail too."""
    if isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
        return False  # the server answered, about this message
    return isinstance(error, OSError)  # refused, timed out, disconnected


def _run_tasks(now: datetime, limit: int, result: DrainResult) -> None:
    for task_id in _due_ids(QueuedTask, now, limit):
        cooperate()  # one task at a time, so a long batch never holds the event loop
        task = _claim(QueuedTask, task_id, now)
        if task is None:
            continue
        kind, payload = task.kind, dict(task.payload)
        try:
            _handlers[kind](**payload)
        except Exception as error:
            db.session.rollback()
            log.exception("task %s (%s) failed", task_id, kind)
            _record_failure(db.session.get_one(QueuedTask, task_id), error, now)
            result.failed += 1
        else:
            task = db.session.get_one(QueuedTask, task_id)
            task.done_at, task.next_attempt_at = utcnow(), None
            commit()
            result.done += 1


def _send_emails(now: datetime, limit: int, result: DrainResult) -> None:
    mailer = get_mailer()
    for email_id in _due_ids(QueuedEmail, now, limit):
        cooperate()
        row = _claim(QueuedEmail, email_id, now)
        if row is None:
            continue
        try:
            mailer.send(row.message)
        except Exception as error:
            log.warning("email %s not sent: %s", email_id, error)
            _record_failure(row, error, now)
            result.failed += 1
            if _is_outage(error):
                result.stopped_by_outage = True
                return  # the others stay due; the next drain tries again
        else:
            row.sent_at, row.next_attempt_at = utcnow(), None
            row.subject, row.message = "", b""
            if row.forget_when_sent:
                row.recipient = ""
            commit()
            result.done += 1


def drain(now: datetime | None = None, batch: int = BATCH_SIZE) -> DrainResult:
    """One bounded pass: due tasks first (they may queue mail), then due emails, including
    the ones those tasks just queued (a notification's email leaves in the same pass)."""
    result = DrainResult()
    _run_tasks(now or utcnow(), batch, result)
    _send_emails(now or utcnow(), batch, result)
    return result


def drain_all(now: datetime | None = None) -> DrainResult:
    """Pass after pass until nothing due is left (or the mail server is down): for the CLI."""
    total = DrainResult()
    while True:
        result = drain(now)
        total.done += result.done
        total.failed += result.failed
        if result.stopped_by_outage or result.touched == 0:
            total.stopped_by_outage = result.stopped_by_outage
            return total
