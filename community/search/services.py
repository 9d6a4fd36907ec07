"""Searching: check the query and the filters, ask the index (or the database while the index
is out), check every hit again with the access package, record the search."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from community import access
from community.core.errors import DomainError
from community.events.models import Event
from community.extensions import db
from community.forum.models import Community, Post, Thread
from community.library.models import Resource
from community.members.models import Member
from community.metrics.services import record_search
from community.search.backend import (
    KINDS,
    SORTS,
    IndexUnavailable,
    QueryRefused,
    SearchHit,
    SearchPage,
    SearchRequest,
)
from community.search.database_backend import DatabaseSearch
from community.search.indexing import get_backend
from community.search.query import check_query

log = logging.getLogger(__name__)

PER_PAGE = 20
_MODELS: dict[str, type] = {
    "thread": Thread,
    "post": Post,
    "resource": Resource,
    "event": Event,
    "member": Member,
}


@dataclass(frozen=True)
class SearchFilters:
    """What the search form sent, as typed; ``run_search`` checks it."""

    text: str = ""
    kind: str = ""
    community: str = ""  # a community's slug
    author: str = ""  # a member's handle
    since: date | None = None
    until: date | None = None
    sort: str = "relevance"
    page: int = 1


@dataclass(frozen=True)
class Result:
    """A hit and the object it is about, checked again."""

    hit: SearchHit
    obj: object


@dataclass(frozen=True)
class SearchOutcome:
    page: SearchPage
    results: list[Result]
    fallback: bool  # answered by the database while the index is out
    community: Community | None = None  # the community the search was scoped to


def check_scope(member: Member, slug: str) -> Community | None:
    """The community a search is scoped to, or None for none; one the member cannot see is
    refused exactly like one that does not exist."""
    if not slug:
        return None
    community = db.session.scalar(access.visible_communities(member).where(Community.slug == slug))
    if community is None:
        raise DomainError("There is no such community.", field="community")
    return community


def _request(member: Member, filters: SearchFilters) -> SearchRequest:
    text = check_query(filters.text)
    kind = filters.kind if filters.kind in KINDS else None
    author_id = None
    community = check_scope(member, filters.community)
    community_id = community.id if community else None
    if filters.author:
        author = db.session.scalar(
            select(Member).where(Member.handle == filters.author.strip().lstrip("@").lower())
        )
        if author is None or not access.can_find(member, author):
            raise DomainError("There is no member with that handle.", field="author")
        author_id = author.id
    if filters.since and filters.until and filters.since > filters.until:
        raise DomainError("The start date is after the end date.", field="since")
    since = datetime.combine(filters.since, time.min, UTC) if filters.since else None
    until = (
        datetime.combine(filters.until + timedelta(days=1), time.min, UTC)
        if filters.until
        else None
    )
    return SearchRequest(
        text=text,
        kind=kind,
        community_id=community_id,
        author_id=author_id,
        since=since,
        until=until,
        sort=filters.sort if filters.sort in SORTS else "relevance",
        page=max(1, filters.page),
        per_page=PER_PAGE,
    )


def run_search(member: Member, filters: SearchFilters) -> SearchOutcome:
    """One page of what the member may find. Raises ``DomainError`` (a form error) for a
    query or filter that cannot be run; never shows what ``access.can_find`` refuses."""
    try:
        request = _request(member, filters)
    except QueryRefused as error:
        raise DomainError(str(error), field="q") from error
    fallback = False
    try:
        page = get_backend().search(request, access.search_scope(member))
    except QueryRefused as error:
        raise DomainError(str(error), field="q") from error
    except IndexUnavailable as error:
        log.warning("search falls back to the database: %s", error)
        page, fallback = DatabaseSearch().search(member, request), True
    except Exception:
        log.exception("the search index failed; searching the database instead")
        page, fallback = DatabaseSearch().search(member, request), True
    results = _checked(member, page.hits)
    record_search(member, request.text, request.kind or "all", page.total)
    community = db.session.get(Community, request.community_id) if request.community_id else None
    return SearchOutcome(replace(page, hits=[r.hit for r in results]), results, fallback, community)


def _checked(member: Member, hits: list[SearchHit]) -> list[Result]:
    """Every hit's object, loaded and checked with the access package once more. The index
    already filtered; a hit dropped here means the index is stale, which is logged."""
    results: list[Result] = []
    for hit in hits:
        obj = db.session.get(_MODELS[hit.kind], hit.object_id)
        if obj is None or not access.can_find(member, obj):
            log.warning(
                "search hit %s:%s is out of sight; the index is stale", hit.kind, hit.object_id
            )
            continue
        results.append(Result(hit, obj))
    return results


def index_state() -> tuple[bool, str]:
    """For /readyz: the search still answers (from the database) when the index is out, so
    the process stays ready; the text says which."""
    health = get_backend().health()
    if health.ok:
        return True, "ok"
    return True, f"{health.detail}; searching the database"
