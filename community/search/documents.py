"""From the database to search documents: what each kind indexes, and which documents an
object's change touches (a thread's state reaches its posts; a community's, its threads).

Every document carries its ``Audience`` from the access package, so the index filters by it.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from typing import Any

import nh3
from sqlalchemy import select

from community import access
from community.events.models import Event
from community.extensions import db
from community.forum.models import Post, Thread
from community.library.models import Resource
from community.members.models import Member
from community.search.backend import SearchDocument, document_key

BATCH = 500


def plain_text(sanitized_html: str) -> str:
    """The words of already-sanitized HTML, tags dropped and entities decoded."""
    return " ".join(html.unescape(nh3.clean(sanitized_html, tags=set())).split())


def thread_document(thread: Thread) -> SearchDocument:
    """The thread's title and its first post."""
    audience = access.thread_audience(thread)
    first = db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))
    return SearchDocument(
        kind="thread",
        object_id=thread.id,
        title=thread.title,
        body=plain_text(first.body_html) if first is not None else "",
        label=thread.title,
        created_at=thread.created_at,
        min_rank=audience.min_rank,
        hidden_because=audience.hidden_because,
        community_id=thread.community_id,
        author_id=thread.author_id or 0,
    )


def post_document(post: Post, thread_audience: access.Audience | None = None) -> SearchDocument:
    """A reply; the first post is searched as part of its thread."""
    audience = access.post_audience(post, thread_audience)
    reasons = audience.hidden_because
    if post.number == 1:
        reasons = (*reasons, "first post")  # found as its thread, not twice
    return SearchDocument(
        kind="post",
        object_id=post.id,
        title="",
        body=plain_text(post.body_html),
        label=post.thread.title,
        created_at=post.created_at,
        min_rank=audience.min_rank,
        hidden_because=reasons,
        community_id=post.thread.community_id,
        author_id=post.author_id or 0,
    )


def resource_document(resource: Resource) -> SearchDocument:
    audience = access.resource_audience(resource)
    return SearchDocument(
        kind="resource",
        object_id=resource.id,
        title=resource.title,
        body=f"{resource.summary} {plain_text(resource.body_html)}".strip(),
        label=resource.title,
        created_at=resource.published_at or resource.created_at,
        min_rank=audience.min_rank,
        hidden_because=audience.hidden_because,
        author_id=resource.created_by_id or 0,
    )


def event_document(event: Event) -> SearchDocument:
    audience = access.event_audience(event)
    place = "online" if event.online else event.location
    return SearchDocument(
        kind="event",
        object_id=event.id,
        title=event.title,
        body=f"{plain_text(event.description_html)} {place}".strip(),
        label=event.title,
        created_at=event.starts_at,
        min_rank=audience.min_rank,
        hidden_because=audience.hidden_because,
        author_id=event.created_by_id or 0,
    )


def member_document(member: Member) -> SearchDocument:
    """Name, handle, title and company: what the directory shows (never the email)."""
    audience = access.member_audience(member)
    return SearchDocument(
        kind="member",
        object_id=member.id,
        title=f"{member.name} {member.handle}",
        body=" · ".join(part for part in (member.title, member.company) if part),
        label=member.name,
        created_at=member.created_at,
        min_rank=audience.min_rank,
        hidden_because=audience.hidden_because,
    )


# --- What a change touches ---------------------------------------------------------------------


def thread_documents(thread: Thread) -> Iterator[SearchDocument]:
    """The thread and every post in it: their audience follows the thread's."""
    document = thread_document(thread)
    yield document
    audience = access.Audience(document.min_rank, document.hidden_because)
    posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id))
    for post in posts:
        yield post_document(post, audience)


def documents_for(kind: str, object_id: int) -> tuple[list[SearchDocument], list[str]]:
    """What to store and what to remove after one object changed (removed: it is gone)."""
    model = {
        "thread": Thread,
        "post": Post,
        "resource": Resource,
        "event": Event,
        "member": Member,
    }[kind]
    obj = db.session.get(model, object_id)
    if obj is None:
        return [], [document_key(kind, object_id)]
    if isinstance(obj, Thread):
        return list(thread_documents(obj)), []
    if isinstance(obj, Post):
        documents = [post_document(obj)]
        if obj.number == 1:
            documents.append(thread_document(obj.thread))
        return documents, []
    if isinstance(obj, Resource):
        discussions = db.session.scalars(select(Thread).where(Thread.resource_id == obj.id))
        documents = [resource_document(obj)]
        for thread in discussions:
            documents.extend(thread_documents(thread))
        return documents, []
    if isinstance(obj, Event):
        return [event_document(obj)], []
    assert isinstance(obj, Member), f"no documents for {kind}"
    return [member_document(obj)], []


def community_documents(community_id: int) -> list[SearchDocument]:
    documents: list[SearchDocument] = []
    for thread in db.session.scalars(select(Thread).where(Thread.community_id == community_id)):
        documents.extend(thread_documents(thread))
    return documents


# --- Everything, for a rebuild -----------------------------------------------------------------


def count_all() -> int:
    from_tables = (Thread, Post, Resource, Event, Member)
    return sum(db.session.scalar(select(db.func.count()).select_from(m)) or 0 for m in from_tables)


def _in_batches(model: type, build: object) -> Iterator[Sequence[SearchDocument]]:
    last_id = 0
    while True:
        rows: list[Any] = list(
            db.session.scalars(
                select(model).where(model.id > last_id).order_by(model.id).limit(BATCH)  # type: ignore[attr-defined]
            )
        )
        if not rows:
            return
        yield [build(row) for row in rows]  # type: ignore[operator]
        last_id = rows[-1].id


def all_documents() -> Iterator[Sequence[SearchDocument]]:
    """Every object of every kind, in batches, findable or not (the index holds the state)."""
    yield from _in_batches(Thread, thread_document)
    yield from _in_batches(Post, post_document)
    yield from _in_batches(Resource, resource_document)
    yield from _in_batches(Event, event_document)
    yield from _in_batches(Member, member_document)


def database_keys(kind: str) -> dict[str, bool]:
    """What the index should hold for a kind: every key, and whether it is findable."""
    builders = {
        "thread": (Thread, thread_document),
        "post": (Post, post_document),
        "resource": (Resource, resource_document),
        "event": (Event, event_document),
        "member": (Member, member_document),
    }
    model, build = builders[kind]
    return {
        document.key: not document.hidden_because
        for batch in _in_batches(model, build)
        for document in batch
    }
