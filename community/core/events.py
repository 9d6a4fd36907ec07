"""Side effects after the commit, never inside the transaction.

Services queue work with ``on_commit`` (or publish a domain event with ``publish``) and end
their unit of work with ``commit()``. Queued callbacks run only once the commit has succeeded;
a rollback discards them. A failing callback is logged and never undoes the write.

Other domains subscribe to events by name (``subscribe("member_joined", handler)``) in their
``init_app``, so the publisher never imports its listeners.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from community.extensions import db

log = logging.getLogger(__name__)

_PENDING_KEY = "community.after_commit"
_subscribers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def on_commit(callback: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    """Run ``callback(*args, **kwargs)`` after the current transaction commits."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still discards the callback
    session.info.setdefault(_PENDING_KEY, []).append((callback, args, kwargs))


def publish(name: str, **payload: Any) -> None:
    """Announce a domain event to its subscribers once the transaction commits."""
    for handler in list(_subscribers.get(name, ())):
        on_commit(handler, **payload)


def subscribe(name: str, handler: Callable[..., None]) -> None:
    if handler not in _subscribers[name]:
        _subscribers[name].append(handler)


def commit() -> None:
    """Commit the unit of work, then dispatch what it queued."""
    session = db.session
    session.commit()
    pending = session.info.pop(_PENDING_KEY, [])
    for callback, args, kwargs in pending:
        try:
            callback(*args, **kwargs)
        except Exception:
            # The write is already safe; a failed side effect must not turn it into an error.
            log.exception("after-commit callback %r failed", callback)
            session.rollback()


@event.listens_for(Session, "after_rollback")
def _discard_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
