"""The fallback: plain database search, used while the index is missing or broken.

Slower and cruder (every word as a substring, newest first, no stemming), but it answers from
the same access rules in their SQL form (``access.findable_*_filter``), so it never shows more
than the index would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, false, func, or_, select

from community import access
from community.events.models import Event
from community.extensions import db
from community.forum.models import Post, Thread
from community.library.models import Resource
from community.members.models import Member
from community.search.backend import KINDS, SearchHit, SearchPage, SearchRequest
from community.search.query import plain_words
from community.search.snippets import mark_words


@dataclass(frozen=True)
class _Kind:
    """How one kind is searched in the database."""

    model: Any
    columns: tuple[Any, ...]
    created: Any
    community: Any = None
    author: Any = None


_KINDS = {
    "thread": _Kind(
        Thread, (Thread.title,), Thread.created_at, Thread.community_id, Thread.author_id
    ),
    "post": _Kind(Post, (Post.body,), Post.created_at, Thread.community_id, Post.author_id),
    "resource": _Kind(
        Resource,
        (Resource.title, Resource.summary, Resource.body),
        Resource.created_at,
        author=Resource.created_by_id,
    ),
    "event": _Kind(
        Event, (Event.title, Event.description), Event.starts_at, author=Event.created_by_id
    ),
    "member": _Kind(Member, (Member.name, Member.handle, Member.title, Member.company), None),
}


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class DatabaseSearch:
    name = "database"

    def _query(self, member: Member, kind: str, request: SearchRequest, words: list[str]) -> Select:
        spec = _KINDS[kind]
        query = select(spec.model)
        findable = {
            "thread": access.findable_threads_filter,
            "post": access.findable_posts_filter,
            "resource": access.findable_resources_filter,
            "event": access.findable_events_filter,
            "member": access.findable_members_filter,
        }[kind](member)
        if kind == "post":
            query = query.join(Post.thread).where(Post.number > 1)
        query = query.where(findable)
        for word in words:
            pattern = f"%{_escape_like(word)}%"
            query = query.where(
                or_(*(func.lower(column).like(pattern, escape="\\") for column in spec.columns))
            )
        if request.community_id:
            if spec.community is None:
                return query.where(false())
            query = query.where(spec.community == request.community_id)
        if request.author_id:
            author = (
                spec.author if spec.author is not None else getattr(spec.model, "author_id", None)
            )
            if author is None:
                return query.where(false())
            query = query.where(author == request.author_id)
        created = spec.created if spec.created is not None else Member.created_at
        if request.since:
            query = query.where(created >= request.since)
        if request.until:
            query = query.where(created <= request.until)
        return query

    def search(self, member: Member, request: SearchRequest) -> SearchPage:
        words = plain_words(request.text)
        counts = {}
        for kind in KINDS:
            query = self._query(member, kind, request, words)
            counts[kind] = (
                db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
                or 0
            )
        kinds = [request.kind] if request.kind else list(KINDS)
        total = sum(counts[kind] for kind in kinds)
        last_page = max(1, -(-total // request.per_page))
        number = min(max(1, request.page), last_page)
        wanted = number * request.per_page
        hits: list[SearchHit] = []
        for kind in kinds:
            spec = _KINDS[kind]
            created = spec.created if spec.created is not None else Member.created_at
            rows = db.session.scalars(
                self._query(member, kind, request, words).order_by(created.desc()).limit(wanted)
            )
            hits.extend(_hit(kind, row, words) for row in rows)
        hits.sort(key=lambda hit: hit.created_at, reverse=True)
        start = (number - 1) * request.per_page
        return SearchPage(
            hits[start : start + request.per_page], total, counts, number, request.per_page
        )


def _hit(kind: str, row: Any, words: list[str]) -> SearchHit:
    label, text, created = _describe(kind, row)
    return SearchHit(kind, row.id, label, mark_words(text, words), created)


def _describe(kind: str, row: Any) -> tuple[str, str, datetime]:
    if kind == "thread":
        return row.title, row.title, row.created_at
    if kind == "post":
        return row.thread.title, row.excerpt or row.body, row.created_at
    if kind == "resource":
        return row.title, row.summary or row.body, row.created_at
    if kind == "event":
        return row.title, row.description, row.starts_at
    return row.name, " · ".join(p for p in (row.title, row.company) if p), row.created_at
