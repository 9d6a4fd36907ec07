"""Resources: reading them through the access module, writing them (editors and owners),
topics and follows, "mark as done", and the engagement figures each resource collects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from community import access
from community.core.clock import utcnow
from community.core.domain_events import ResourceChanged
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, on_commit, publish
from community.core.pagination import Page, paginate
from community.extensions import db
from community.forum.markdown import render_markdown
from community.forum.models import Post, Thread
from community.library import attachments
from community.library.attachments import Upload
from community.library.discussion import keep_discussion_at_tier
from community.library.models import (
    Completion,
    Kind,
    Resource,
    Topic,
    TopicFollow,
    resource_topic,
)
from community.members.models import Member, Tier
from community.metrics import services as metrics
from community.metrics.models import MetricEvent

RESOURCES_PER_PAGE = 20
MAX_TITLE = 200
MAX_SUMMARY = 1_000
MAX_BODY = 50_000
MAX_TOPICS = 8
SORTS = ("newest", "popular")


# --- Reading -------------------------------------------------------------------------------


def get_visible_resource(member: Member, resource_id: int) -> Resource:
    resource = db.session.get(Resource, resource_id)
    if resource is None or not access.can_see_resource(member, resource):
        raise NotFound("There is no such resource.")
    return resource


def get_editable_resource(member: Member, resource_id: int) -> Resource:
    resource = get_visible_resource(member, resource_id)
    if not access.can_edit_resource(member, resource):
        raise PermissionDenied("Only editors and owners edit the library.")
    return resource


def _view_counts() -> Select:
    return (
        select(MetricEvent.object_id.label("resource_id"), func.count().label("views"))
        .where(MetricEvent.object_type == "resource", MetricEvent.action == "view")
        .group_by(MetricEvent.object_id)
    )


def list_resources(
    member: Member,
    kind: str = "",
    topic: str = "",
    sort: str = "newest",
    page: int = 1,
    per_page: int = RESOURCES_PER_PAGE,
) -> Page[Resource]:
    """Published resources the member can see, newest or most viewed first."""
    query = (
        select(Resource)
        .where(access.visible_resources_filter(member))
        .options(selectinload(Resource.topics), selectinload(Resource.authors))
    )
    if kind in Kind.__members__.values():
        query = query.where(Resource.kind == kind)
    if topic:
        tagged = select(resource_topic.c.resource_id).join(Topic).where(Topic.slug == topic)
        query = query.where(Resource.id.in_(tagged))
    if sort == "popular":
        views = _view_counts().subquery()
        query = query.outerjoin(views, views.c.resource_id == Resource.id).order_by(
            func.coalesce(views.c.views, 0).desc()
        )
    query = query.order_by(Resource.published_at.desc(), Resource.id.desc())
    return paginate(query, page, per_page)


def list_topics(member: Member) -> list[Topic]:
    """Topics of the resources the member can see."""
    query = select(Topic).where(access.visible_topics_filter(member)).order_by(Topic.name)
    return list(db.session.scalars(query))


def related_resources(member: Member, resource: Resource, limit: int = 4) -> list[Resource]:
    """Visible published resources sharing the most topics with this one, newest first."""
    topic_ids = [topic.id for topic in resource.topics]
    if not topic_ids:
        return []
    shared = (
        select(resource_topic.c.resource_id, func.count().label("shared"))
        .where(resource_topic.c.topic_id.in_(topic_ids))
        .group_by(resource_topic.c.resource_id)
        .subquery()
    )
    query = (
        select(Resource)
        .join(shared, shared.c.resource_id == Resource.id)
        .where(access.visible_resources_filter(member), Resource.id != resource.id)
        .order_by(shared.c.shared.desc(), Resource.published_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def get_visible_topic(member: Member, slug: str) -> Topic:
    """A topic used by a resource the member can see; any other answers as if missing."""
    topic = db.session.scalar(
        select(Topic).where(Topic.slug == slug, access.visible_topics_filter(member))
    )
    if topic is None:
        raise NotFound("There is no such topic.")
    return topic


def followed_topic_ids(member: Member) -> set[int]:
    return set(
        db.session.scalars(select(TopicFollow.topic_id).where(TopicFollow.member_id == member.id))
    )


# "New in my topics" on home: resources published this recently.
NEW_RESOURCE_DAYS = 30


def list_new_in_followed_topics(member: Member, limit: int = 4) -> list[Resource]:
    """Resources published in the last ``NEW_RESOURCE_DAYS`` in a topic the member follows,
    newest first, only those the member may see in lists."""
    followed = select(resource_topic.c.resource_id).join(
        TopicFollow, TopicFollow.topic_id == resource_topic.c.topic_id
    )
    return list(
        db.session.scalars(
            select(Resource)
            .where(
                Resource.id.in_(followed.where(TopicFollow.member_id == member.id)),
                Resource.published_at >= utcnow() - timedelta(days=NEW_RESOURCE_DAYS),
                access.visible_resources_filter(member),
            )
            .options(selectinload(Resource.topics))
            .order_by(Resource.published_at.desc(), Resource.id.desc())
            .limit(limit)
        )
    )


def set_following(member: Member, slug: str, follow: bool) -> Topic:
    """Follow a topic (to hear of new resources in it) or stop following it. Only topics the
    member can see: one that later goes out of sight keeps the follow, which simply stays
    quiet (nobody is told of a resource they cannot open)."""
    topic = get_visible_topic(member, slug)
    existing = db.session.get(TopicFollow, (member.id, topic.id))
    if follow and existing is None:
        db.session.add(TopicFollow(member_id=member.id, topic_id=topic.id))
    elif not follow and existing is not None:
        db.session.delete(existing)
    commit()
    return topic


# --- Engagement ----------------------------------------------------------------------------


def record_view(member: Member, resource: Resource) -> None:
    """One view per member per day, on published resources only (editors reading a draft are
    not its readers)."""
    if resource.is_published:
        metrics.record_now(member, "view", "resource", resource.id, once_per_day=True)


def open_attachment(member: Member, resource_id: int) -> tuple[Resource, str]:
    """The resource and the path of its file, for the download view; records the download."""
    resource = get_visible_resource(member, resource_id)
    if not resource.attachment_key:
        raise NotFound("This resource has no file.")
    path = attachments.path_of(resource.attachment_key)
    if not path.is_file():
        raise NotFound("The file is missing.")
    if resource.is_published:
        metrics.record_now(member, "download", "resource", resource.id, once_per_day=False)
    return resource, str(path)


def is_done(member: Member, resource: Resource) -> bool:
    return db.session.get(Completion, (member.id, resource.id)) is not None


def set_done(member: Member, resource_id: int, done: bool) -> Resource:
    """Mark a published resource as done (recording a completion once) or as not done."""
    resource = get_visible_resource(member, resource_id)
    if not resource.is_published:
        raise DomainError("Only published resources can be marked as done.")
    existing = db.session.get(Completion, (member.id, resource.id))
    if done and existing is None:
        db.session.add(Completion(member_id=member.id, resource_id=resource.id))
        metrics.record(member, "complete", "resource", resource.id)
    elif not done and existing is not None:
        db.session.delete(existing)
    commit()
    return resource


def figures(member: Member, resource: Resource) -> dict[str, int] | None:
    """Views, downloads and completions, for those allowed to see them; else None."""
    if not access.can_see_resource_figures(member, resource):
        return None
    counts = metrics.counts_for("resource", resource.id)
    return {action: counts.get(action, 0) for action in ("view", "download", "complete")}


# --- Writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceDraft:
    """What an editor typed: topics as comma-separated names, authors as @handles."""

    kind: str
    title: str
    summary: str
    body: str
    min_tier: str
    topics: str = ""
    authors: str = ""
    external_url: str = ""
    remove_attachment: bool = False


def _check_draft(member: Member, draft: ResourceDraft) -> Tier:
    if draft.kind not in Kind.__members__.values():
        raise DomainError("Choose a kind.", field="kind")
    if not draft.title.strip():
        raise DomainError("Give the resource a title.", field="title")
    if len(draft.title) > MAX_TITLE:
        raise DomainError(f"Keep the title under {MAX_TITLE} characters.", field="title")
    if len(draft.summary) > MAX_SUMMARY:
        raise DomainError(f"Keep the summary under {MAX_SUMMARY} characters.", field="summary")
    if len(draft.body) > MAX_BODY:
        raise DomainError(f"Keep the text under {MAX_BODY:,} characters.", field="body")
    url = draft.external_url.strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
            raise DomainError("Links must start with http:// or https://.", field="external_url")
    tier = db.session.scalar(select(Tier).where(Tier.slug == draft.min_tier))
    if tier is None:
        raise DomainError("Choose a minimum tier.", field="min_tier")
    if not access.can_plan_for_tier(member, tier):
        raise DomainError(
            "You can only publish for tiers you belong to yourself.", field="min_tier"
        )
    return tier


def _topics_from(text: str) -> list[Topic]:
    """Topics by name, created on first use (their slug is the name in lowercase words)."""
    names: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())[:60]
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]
        if slug:
            names.setdefault(slug, name)
    if len(names) > MAX_TOPICS:
        raise DomainError(f"Choose up to {MAX_TOPICS} topics.", field="topics")
    existing = {
        topic.slug: topic
        for topic in db.session.scalars(select(Topic).where(Topic.slug.in_(names)))
    }
    topics = []
    for slug, name in names.items():
        topic = existing.get(slug)
        if topic is None:
            topic = Topic(slug=slug, name=name)
            db.session.add(topic)
        topics.append(topic)
    return topics


def _authors_from(member: Member, text: str) -> list[Member]:
    handles = [h.strip().lstrip("@").lower() for h in text.replace(" ", ",").split(",")]
    handles = list(dict.fromkeys(h for h in handles if h))
    if not handles:
        return [member]
    found = {
        m.handle: m for m in db.session.scalars(select(Member).where(Member.handle.in_(handles)))
    }
    missing = [h for h in handles if h not in found]
    if missing:
        raise DomainError(f"No member has the handle @{missing[0]}.", field="authors")
    return [found[h] for h in handles]


def _source_tier_floor(resource: Resource, tier: Tier) -> None:
    # Text promoted from a thread may only travel to an audience no wider than its community's.
    source = resource.source_thread
    if source is not None and not access.no_wider_audience(source.community.min_tier, tier):
        raise DomainError(
            f"This text comes from a {source.community.min_tier.name} discussion: keep the "
            "resource at that tier or higher.",
            field="min_tier",
        )


def _apply(member: Member, resource: Resource, draft: ResourceDraft, upload: Upload | None) -> None:
    """Check everything, then write; the file is stored last so a refusal stores nothing."""
    tier = _check_draft(member, draft)
    _source_tier_floor(resource, tier)
    authors = _authors_from(member, draft.authors)
    url = draft.external_url.strip()
    keeps_file = bool(resource.attachment_key) and not draft.remove_attachment
    if url and (upload is not None or keeps_file):
        raise DomainError(
            "Give either a file or a link, not both (remove the file to use a link).",
            field="external_url",
        )
    if upload is not None:
        attachments.check_upload(upload)
    topics = _topics_from(draft.topics)
    resource.kind = draft.kind
    resource.title = draft.title.strip()
    resource.summary = draft.summary.strip()
    resource.body = draft.body
    resource.body_html = render_markdown(draft.body)
    resource.external_url = url
    resource.min_tier = tier
    resource.topics = topics
    resource.authors = authors
    resource.updated_at = utcnow()
    if upload is not None or draft.remove_attachment:
        # The old file goes only once the change is safely committed.
        on_commit(attachments.remove, resource.attachment_key)
        resource.attachment_key = resource.attachment_name = resource.attachment_type = ""
        resource.attachment_size = 0
    if upload is not None:
        stored = attachments.store(upload)
        resource.attachment_key, resource.attachment_name = stored.key, stored.name
        resource.attachment_type, resource.attachment_size = stored.mimetype, stored.size


def create_resource(member: Member, draft: ResourceDraft, upload: Upload | None = None) -> Resource:
    """A new draft by an editor or owner."""
    if not access.can_curate_library(member):
        raise PermissionDenied("Only editors and owners add to the library.")
    resource = Resource(created_by_id=member.id)
    _apply(member, resource, draft, upload)
    db.session.add(resource)
    db.session.flush()
    publish(ResourceChanged(resource_id=resource.id))
    commit()
    return resource


def update_resource(
    member: Member, resource_id: int, draft: ResourceDraft, upload: Upload | None = None
) -> Resource:
    resource = get_editable_resource(member, resource_id)
    _apply(member, resource, draft, upload)
    keep_discussion_at_tier(resource, member, utcnow())
    publish(ResourceChanged(resource_id=resource.id))
    commit()
    return resource


def tier_choices(member: Member) -> list[Tier]:
    """The tiers an editor may give a resource: up to their own (owners: all)."""
    query = select(Tier).order_by(Tier.rank)
    if not access.is_owner(member):
        query = query.where(access.admitted_tiers_filter(member))
    return list(db.session.scalars(query))


def discussion(
    member: Member, resource: Resource, limit: int = 5
) -> tuple[Thread, list[Post]] | None:
    """The resource's thread and its latest posts, when the member can open it."""
    thread = resource.thread
    if thread is None or not access.can_see_thread(member, thread):
        return None
    posts = db.session.scalars(
        select(Post)
        .where(Post.thread_id == thread.id, access.posts_every_reader_sees_filter())
        .options(joinedload(Post.author))
        .order_by(Post.number.desc())
        .limit(limit)
    )
    return thread, list(reversed(list(posts)))


def earlier_discussions(member: Member, resource: Resource) -> list[Thread]:
    """Threads that discussed the resource before its tier was lowered (each stayed at the
    tier it was written for), those the member may open, newest first."""
    query = (
        select(Thread)
        .where(
            Thread.resource_id == resource.id,
            Thread.id != resource.thread_id,
            access.visible_threads_filter(member),
        )
        .order_by(Thread.created_at.desc(), Thread.id.desc())
    )
    return list(db.session.scalars(query))
