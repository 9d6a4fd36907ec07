"""Sharing the one event loop: CPU-heavy pure work off it, and yields between a request's stages.

The app serves from one gevent worker: a greenlet that computes for a second holds every
other request for that second. Two tools keep every stretch short:

- ``run_off_event_loop`` runs pure work (parsing a post, the sales-pitch check) in the hub's
  pool of native threads; the interpreter hands the lock back every millisecond, so /healthz
  and other requests keep being served while a long post is parsed. Only pure functions
  belong there: no database session, no request.
- ``cooperate`` lets waiting greenlets run between the stages of a request (after its form is
  read, before a page is rendered, after a commit) or of a job. It never yields while the
  unit of work holds written rows: the database's write lock would then be held by a paused
  greenlet, and another writer would block the whole process in the driver, waiting for it.

Elsewhere (tests, the CLI) both simply run in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import gevent
from gevent import get_hub
from gevent.monkey import is_module_patched
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from community.extensions import db

T = TypeVar("T")


def run_off_event_loop(function: Callable[..., T], *args: object) -> T:
    if is_module_patched("threading"):
        return get_hub().threadpool.apply(function, args)
    return function(*args)


# Set on a session from its first write until its transaction ends.
_WRITES_PENDING = "community.writes_pending"


def cooperate() -> None:
    """Let other greenlets run now, unless this unit of work holds written rows."""
    if is_module_patched("threading") and not db.session.info.get(_WRITES_PENDING):
        gevent.sleep(0)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush_context: UOWTransaction) -> None:
    session.info[_WRITES_PENDING] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WRITES_PENDING] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    session.info.pop(_WRITES_PENDING, None)
