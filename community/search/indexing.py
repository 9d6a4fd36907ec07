"""The index follows the writes: each domain event queues its index work in the outbound
queue (``outbox.subscribe_queued``), in the writer's own transaction, so a rolled-back write
indexes nothing and a committed one cannot lose its update. The queue worker applies it: one
process at a time per task, the index writer's lock with a timeout on top. If indexing fails
(locked for longer than the timeout), the task is retried with backoff; the write it follows
has long been committed. While there is no usable index at all, search answers from the
database and index work is skipped: the rebuild that makes the index (``community search
reindex``, or ``community demo``) reads everything from the database anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from community.core import domain_events as events
from community.core.events import commit
from community.core.outbox import pending_tasks, queued_kind, settle_tasks, subscribe_queued
from community.search import documents
from community.search.backend import KINDS, SearchBackend, SearchDocument
from community.search.postgres_backend import PostgresBackend
from community.search.whoosh_backend import WhooshBackend

log = logging.getLogger(__name__)


def get_backend() -> SearchBackend:
    """The app's configured backend (``SEARCH_BACKEND``): PostgreSQL, or Whoosh for its index
    path (one per process, reused: it keeps its searcher)."""
    backends: dict[str, SearchBackend] = current_app.extensions.setdefault("search_backends", {})
    if current_app.config.get("SEARCH_BACKEND") == "postgres":
        return backends.setdefault("postgres", PostgresBackend())
    path = current_app.config["SEARCH_INDEX_PATH"]
    backend = backends.get(path)
    if backend is None:
        backend = backends[path] = WhooshBackend(path)
    return backend


def refresh(kind: str, object_id: int) -> None:
    """Store an object's documents again (and those its state reaches), or drop them."""
    backend = get_backend()
    if not backend.exists():
        log.info("no usable search index: %s %s is left to the next rebuild", kind, object_id)
        return
    stored, removed = documents.documents_for(kind, object_id)
    if stored:
        backend.index(stored)
    if removed:
        backend.delete(removed)


def index_thread(event: events.ThreadCreated | events.ThreadChanged) -> None:
    refresh("thread", event.thread_id)


def index_post(
    event: events.PostCreated | events.PostEdited | events.PostDeleted | events.PostChanged,
) -> None:
    refresh("post", event.post_id)


def index_resource(event: events.ResourcePublished | events.ResourceChanged) -> None:
    refresh("resource", event.resource_id)


def index_event(event: events.EventChanged) -> None:
    refresh("event", event.event_id)


def index_member(event: events.MemberJoined | events.MemberChanged) -> None:
    refresh("member", event.member_id)


def forget_member(event: events.MemberDeleted) -> None:
    """Rebuild the whole index from the database, so the deleted member's old name and
    handle leave its files, not only its answers. Replacing the one document is not enough:
    Whoosh keeps every word it ever indexed in its "did you mean" word list, merges and
    ``optimize`` included (measured). Slow on a large index (75 s at 100,000 posts), but
    deletions are rare and this runs in the queue worker; other index writes wait for the
    writer's lock and retry."""
    if get_backend().exists():
        rebuild()


def index_community(event: events.CommunityChanged) -> None:
    backend = get_backend()
    if backend.exists():
        backend.index(documents.community_documents(event.community_id))


# Which event refreshes what. The handlers' names are the queued tasks' kinds.
_FOLLOWS: list[tuple[type[events.DomainEvent], Callable[[Any], None]]] = [
    (events.ThreadCreated, index_thread),
    (events.ThreadChanged, index_thread),
    (events.PostCreated, index_post),
    (events.PostEdited, index_post),
    (events.PostDeleted, index_post),
    (events.PostChanged, index_post),
    (events.ResourcePublished, index_resource),
    (events.ResourceChanged, index_resource),
    (events.EventChanged, index_event),
    (events.MemberJoined, index_member),
    (events.MemberChanged, index_member),
    (events.MemberDeleted, forget_member),
    (events.CommunityChanged, index_community),
]


# The queued tasks' kinds, which a rebuild settles.
INDEX_TASKS = tuple(queued_kind(event_class, handler) for event_class, handler in _FOLLOWS)


def subscribe_indexers() -> None:
    for event_class, handler in _FOLLOWS:
        subscribe_queued(event_class, handler)


# --- Rebuild and check -------------------------------------------------------------------------


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Fill the index again from the database; ``progress(n)`` after each batch of n.

    The index tasks already queued when it starts are settled unrun: their writes committed
    before the rebuild read the database, so it holds what they would store. (The demo queues
    one per seeded object, about 500 that took 85 s to drain after its rebuild.) Tasks queued
    meanwhile still run."""
    covered = pending_tasks(INDEX_TASKS)

    def batches() -> Iterator[Sequence[SearchDocument]]:
        for batch in documents.all_documents():
            yield batch
            if progress is not None:
                progress(len(batch))

    stored = get_backend().rebuild(batches())
    settle_tasks(covered)
    commit()
    return stored


@dataclass
class KindCheck:
    kind: str
    in_database: int
    in_index: int
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    extra: list[str] = field(default_factory=list)  # in the index, gone from the database
    stale: list[str] = field(default_factory=list)  # findable in one, not in the other

    @property
    def agrees(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def check() -> list[KindCheck]:
    """Compare the index with the database, kind by kind."""
    backend = get_backend()
    report = []
    for kind in KINDS:
        expected, stored = documents.database_keys(kind), backend.keys(kind)
        report.append(
            KindCheck(
                kind=kind,
                in_database=len(expected),
                in_index=len(stored),
                missing=sorted(expected.keys() - stored.keys()),
                extra=sorted(stored.keys() - expected.keys()),
                stale=sorted(
                    k for k in expected.keys() & stored.keys() if expected[k] != stored[k]
                ),
            )
        )
    return report
