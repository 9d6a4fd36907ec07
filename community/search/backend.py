"""The search contract: what every backend takes in and answers, whatever engine is behind it.

A backend stores ``SearchDocument``s and answers a ``SearchRequest`` for a ``SearchScope``
(``community/access/search.py``) with a ``SearchPage``: the hits of one page, exact counts per
kind, and maybe a correction. Access is part of the contract: a backend must filter by the
scope inside its own query, so that counts and pages never include what the searcher may not
find. The contract tests (tests/unit/search/test_backend_contract.py) run against every
backend: Whoosh (``whoosh_backend.py``) and PostgreSQL (``postgres_backend.py``, a
``search_document`` table holding these same fields with a ``tsvector`` under a GIN index).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from community.access.search import SearchScope

KINDS = ("thread", "post", "resource", "event", "member")
KIND_LABELS = {
    "thread": "Thread",
    "post": "Post",
    "resource": "Library",
    "event": "Event",
    "member": "Member",
}
SORTS = ("relevance", "newest")


@dataclass(frozen=True)
class SearchDocument:
    """One searchable object, with what access needs to filter on in the index itself."""

    kind: str
    object_id: int
    title: str  # indexed (empty for posts: their thread's title is only shown)
    body: str  # plain text, indexed and used for snippets
    label: str  # what the result shows as its heading
    created_at: datetime
    min_rank: int
    hidden_because: tuple[str, ...] = ()
    community_id: int = 0
    author_id: int = 0

    @property
    def key(self) -> str:
        return document_key(self.kind, self.object_id)


def document_key(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


@dataclass(frozen=True)
class SearchRequest:
    """A checked query (``query.check_query``) with its filters."""

    text: str
    kind: str | None = None
    community_id: int | None = None
    author_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Snippet:
    """Text cut into parts, the matched ones marked: the template escapes every part, so a
    document's text can never become markup."""

    parts: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: int
    label: str
    snippet: Snippet
    created_at: datetime


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int  # hits of the requested kind (all kinds when none), on every page
    counts: dict[str, int]  # per kind, ignoring the kind filter: the tabs
    page: int
    per_page: int
    correction: str | None = None  # "did you mean", only when it finds something

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str
    documents: dict[str, int] = field(default_factory=dict)


class IndexUnavailable(RuntimeError):
    """The index is missing or cannot be read: search falls back to the database."""


class QueryRefused(ValueError):
    """The query cannot be run as typed; the message says why, for the searcher."""


class SearchBackend(Protocol):
    name: str

    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace documents (by kind and id), in one commit."""

    def delete(self, keys: Iterable[str]) -> None:
        """Remove documents by key; unknown keys are ignored."""

    def rebuild(self, batches: Iterable[Sequence[SearchDocument]]) -> int:
        """Start again from empty with these documents; returns how many were stored."""

    def search(self, request: SearchRequest, scope: SearchScope) -> SearchPage:
        """One page of what the scope may find, and exact counts per kind."""

    def keys(self, kind: str) -> dict[str, bool]:
        """Every stored document key of a kind, with whether it is findable at all (for
        ``search check``)."""

    def exists(self) -> bool:
        """Whether there is an index to write to (else search answers from the database)."""
        ...

    def health(self) -> Health:
        """Whether the backend can answer, and why not."""
