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

import time
from collections.abc import Callable
from typing import TypeVar

import gevent
from flask import Flask, current_app, has_app_context
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


# Set on a session from its first write until its transaction ends: when it began.
_WRITES_PENDING = "community.writes_pending"
# Set in a process that shares SQLite's write lock with a web worker (``community jobs``).
_GIVE_WAY = "community.give_way_after_writes"
# The pause after a write transaction, as a share of how long it held the lock: bounds.
SHORTEST_GIVE_WAY = 0.005
LONGEST_GIVE_WAY = 0.05


def cooperate() -> None:
    """Let other greenlets run now, unless this unit of work holds written rows."""
    if is_module_patched("threading") and not db.session.info.get(_WRITES_PENDING):
        gevent.sleep(0)


def give_way_after_writes(app: Flask) -> None:
    """In this process, pause after each write transaction on SQLite for as long as it held
    the database's write lock (5 to 50 ms). A web worker's write that waited meanwhile sits in
    SQLite's busy handler, which sleeps and polls (every 50 to 100 ms after the first few): a
    job that commits batch after batch with no gap would win every race to the lock and keep
    that write waiting for seconds (measured: 2.2 s behind a fan-out whose longest batch held
    it 0.6 s). PostgreSQL locks rows, not the database: nothing to give way to."""
    if db.engines[None].dialect.name == "sqlite":
        app.extensions[_GIVE_WAY] = True


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush_context: UOWTransaction) -> None:
    session.info.setdefault(_WRITES_PENDING, time.perf_counter())


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info.setdefault(_WRITES_PENDING, time.perf_counter())


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    wrote_since = session.info.pop(_WRITES_PENDING, None)
    if wrote_since is not None and has_app_context() and current_app.extensions.get(_GIVE_WAY):
        held = time.perf_counter() - wrote_since
        time.sleep(min(max(held, SHORTEST_GIVE_WAY), LONGEST_GIVE_WAY))
