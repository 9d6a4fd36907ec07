"""Side effects after the commit, never inside the transaction; and the domain events.

Services queue work with ``on_commit`` (or publish a domain event with ``publish``) and end
their unit of work with ``commit()``. Queued callbacks run only once the commit has succeeded;
a rollback discards them. A failing callback is logged and never undoes the write.

Domain events are the frozen dataclasses catalogued in ``core/domain_events.py``
(``publish(PostCreated(post_id=post.id))``). Other domains subscribe to an event class in their
``init_app`` (``subscribe(PostCreated, on_post_created)``; the handler takes the event), so the
publisher never imports its listeners. Both refuse anything that is not a catalogued class or
an instance of one with a TypeError, so a misspelt event fails where it is written instead of
reaching nobody.

Handlers run in one of two places:

- ``subscribe``: right after the commit, in the process that committed (a request, a job, a
  CLI command). For cheap work: a socket push to one room, cutting a session, telling one
  member.
- ``subscribe_in_transaction``: at ``publish`` time, inside the unit of work, so what the
  handler writes commits or rolls back with the event. The outbox uses it to queue a task in
  the same transaction (``outbox.subscribe_queued``), which is how slow work (notifying many
  members) leaves the request: the request only writes one row, the job runner does the rest.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from community.core.cpu import cooperate
from community.core.domain_events import DomainEvent, check_catalogued
from community.extensions import db

log = logging.getLogger(__name__)

E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], None]

_PENDING_KEY = "community.after_commit"
_after_commit: dict[type[DomainEvent], list[Handler]] = defaultdict(list)
_in_transaction: dict[type[DomainEvent], list[Handler]] = defaultdict(list)


def on_commit(callback: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    """Run ``callback(*args, **kwargs)`` after the current transaction commits."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still discards the callback
    session.info.setdefault(_PENDING_KEY, []).append((callback, args, kwargs))


def publish(domain_event: DomainEvent) -> None:
    """Announce a catalogued event: in-transaction handlers run now, the others after the
    commit (in the order they subscribed)."""
    event_class = check_catalogued(type(domain_event))
    for handler in list(_in_transaction.get(event_class, ())):
        handler(domain_event)
    for handler in list(_after_commit.get(event_class, ())):
        on_commit(handler, domain_event)


def subscribe(event_class: type[E], handler: Callable[[E], None]) -> None:
    """Call ``handler(event)`` after each commit that published an ``event_class`` event."""
    _add(_after_commit, event_class, handler)


def subscribe_in_transaction(event_class: type[E], handler: Callable[[E], None]) -> None:
    """Call ``handler(event)`` when it is published, inside the publisher's unit of work."""
    _add(_in_transaction, event_class, handler)


def unsubscribe(event_class: type[E], handler: Callable[[E], None]) -> None:
    """Stop calling ``handler``: for listeners that live shorter than the app (a test's)."""
    for registry in (_after_commit, _in_transaction):
        if handler in registry.get(check_catalogued(event_class), ()):
            registry[event_class].remove(handler)


def _add(
    registry: dict[type[DomainEvent], list[Handler]], event_class: type[E], handler: Handler
) -> None:
    check_catalogued(event_class)
    if not callable(handler):
        raise TypeError(f"{handler!r} is not callable")
    if handler not in registry[event_class]:  # an app built twice subscribes once
        registry[event_class].append(handler)


def commit() -> None:
    """Commit the unit of work, then dispatch what it queued."""
    session = db.session
    session.commit()
    pending = session.info.pop(_PENDING_KEY, [])
    for callback, args, kwargs in pending:
        cooperate()  # the write lock is released: a good moment to let others run
        try:
            callback(*args, **kwargs)
        except Exception:
            # The write is already safe; a failed side effect must not turn it into an error.
            log.exception("after-commit callback %r failed", callback)
            session.rollback()


@event.listens_for(Session, "after_rollback")
def _discard_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
