"""The editorial workflow: draft → in review → scheduled → published → archived.

Who may make which move is the one table ``TRANSITIONS``; every move is kept as a
``ResourceTransition`` row (who, when, from, to). Publishing, by hand or by the scheduler,
goes through ``_publish``, which creates the resource's discussion thread the first time and
publishes ``ResourcePublished``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select, update

from community import access
from community.core.clock import utcnow
from community.core.domain_events import ResourceChanged, ResourcePublished
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.core.models import rows_changed
from community.extensions import db
from community.forum.markdown import render_markdown
from community.forum.models import Post, Thread
from community.library.discussion import open_discussion
from community.library.models import Kind, Resource, ResourceTransition, Status
from community.library.services import get_editable_resource
from community.members.models import Member

SCHEDULER = "scheduler"  # the actor of a scheduled publication (no member)
EDITORS = frozenset({"editor", "owner"})
OWNERS = frozenset({"owner"})

# (from, to) -> the roles that may make the move. Anything not listed is refused.
TRANSITIONS: dict[tuple[Status, Status], frozenset[str]] = {
    (Status.DRAFT, Status.IN_REVIEW): EDITORS,
    (Status.IN_REVIEW, Status.DRAFT): EDITORS,  # sent back for more work
    (Status.IN_REVIEW, Status.SCHEDULED): EDITORS,
    (Status.IN_REVIEW, Status.PUBLISHED): EDITORS,
    (Status.SCHEDULED, Status.IN_REVIEW): EDITORS,  # unscheduled
    (Status.SCHEDULED, Status.PUBLISHED): EDITORS | {SCHEDULER},
    (Status.PUBLISHED, Status.ARCHIVED): EDITORS,
    (Status.ARCHIVED, Status.PUBLISHED): OWNERS,  # bringing back a withdrawn item
}
ACTION_LABELS = {
    Status.DRAFT: "Send back to draft",
    Status.IN_REVIEW: "Submit for review",
    Status.SCHEDULED: "Schedule",
    Status.PUBLISHED: "Publish now",
    Status.ARCHIVED: "Archive",
}


def may_transition(role: str, source: Status, target: Status) -> bool:
    return role in TRANSITIONS.get((source, target), frozenset())


def next_statuses(member: Member, resource: Resource) -> list[Status]:
    """The moves this member may make on this resource now, in workflow order."""
    if not access.can_edit_resource(member, resource):
        return []
    current = Status(resource.status)
    return [target for target in Status if may_transition(member.role, current, target)]


def transition(
    member: Member, resource_id: int, target: str, publish_at: datetime | None = None
) -> Resource:
    """Move a resource along the workflow; scheduling needs a future ``publish_at`` (UTC)."""
    resource = get_editable_resource(member, resource_id)
    try:
        goal = Status(target)
    except ValueError:
        raise DomainError("Unknown status.") from None
    current = Status(resource.status)
    if not may_transition(member.role, current, goal):
        raise PermissionDenied(
            f"A {member.role} cannot move a resource from {current.label} to {goal.label}."
        )
    if goal == Status.SCHEDULED:
        if publish_at is None:
            raise DomainError("Choose the date and time to publish.", field="publish_at")
        if publish_at <= utcnow():
            raise DomainError("Choose a time in the future.", field="publish_at")
        resource.publish_at = publish_at
    elif goal in (Status.DRAFT, Status.IN_REVIEW):
        resource.publish_at = None
    if goal == Status.PUBLISHED:
        _publish(resource, member, current)
    else:
        resource.status = goal.value
        _record(resource, member, current, goal)
        publish(ResourceChanged(resource_id=resource.id))
    commit()
    return resource


def _record(resource: Resource, actor: Member | None, source: Status, goal: Status) -> None:
    db.session.add(
        ResourceTransition(
            resource_id=resource.id,
            actor_id=actor.id if actor is not None else None,
            from_status=source.value,
            to_status=goal.value,
            publish_at=resource.publish_at if goal == Status.SCHEDULED else None,
        )
    )


def _publish(resource: Resource, actor: Member | None, source: Status) -> None:
    """Publish inside the caller's unit of work. The first publication opens the discussion
    and tells followers; bringing back an archived resource does neither again."""
    now = utcnow()
    resource.status = Status.PUBLISHED.value
    first_time = resource.published_at is None
    if first_time:
        resource.published_at = now
    _record(resource, actor, source, Status.PUBLISHED)
    if resource.thread_id is None:
        open_discussion(resource, actor, now)
    if first_time:
        actor_id = actor.id if actor is not None else None
        publish(ResourcePublished(resource_id=resource.id, actor_id=actor_id))


def publish_due(now: datetime | None = None) -> int:
    """Publish every scheduled resource whose time has come; returns how many.

    Safe to run repeatedly and from several processes at once: each resource is claimed with
    a conditional UPDATE (status still "scheduled"), so only one run publishes it, opens its
    thread and tells its followers.
    """
    now = now or utcnow()
    due = list(
        db.session.scalars(
            select(Resource.id).where(
                Resource.status == Status.SCHEDULED.value, Resource.publish_at <= now
            )
        )
    )
    published = 0
    for resource_id in due:
        claimed = rows_changed(
            update(Resource)
            .where(Resource.id == resource_id, Resource.status == Status.SCHEDULED.value)
            .values(status=Status.PUBLISHED.value)
        )
        if claimed != 1:
            db.session.rollback()
            continue
        resource = db.session.get(Resource, resource_id)
        assert resource is not None
        db.session.refresh(resource)
        _publish(resource, None, Status.SCHEDULED)
        commit()
        published += 1
    return published


# --- Promoting a thread ----------------------------------------------------------------------


def promote_thread(member: Member, thread_id: int) -> Resource:
    """A draft article from a discussion: its title, its first post as the body, at the
    community's tier (a promoted text never reaches a wider audience than it was written for).

    The first post is copied only when every reader of the thread may read it: a held or
    deleted post's text would otherwise reach the other editors of the draft (and, through
    the promoter, editors who are no moderators). Then the draft gets a link to the thread
    instead, and the editor writes the text."""
    if not access.can_curate_library(member):
        raise PermissionDenied("Only editors and owners add to the library.")
    thread = access.get_visible_thread(member, thread_id)
    if not access.can_promote_thread(member, thread):
        raise PermissionDenied("A deleted discussion cannot become a library draft.")
    first = db.session.scalar(
        select(Post).where(Post.thread_id == thread.id).order_by(Post.number).limit(1)
    )
    if first is not None and access.is_seen_by_every_reader(first):
        body = first.body
    else:
        body = f"From the discussion [{thread.title}](/t/{thread.id})."
    resource = Resource(
        kind=Kind.ARTICLE.value,
        title=thread.title,
        summary="",
        body=body,
        body_html=render_markdown(body),
        min_tier=thread.community.min_tier,
        source_thread_id=thread.id,
        created_by_id=member.id,
        authors=[thread.author] if thread.author is not None else [member],
    )
    db.session.add(resource)
    commit()
    return resource


def resources_of_thread(member: Member, thread: Thread) -> list[Resource]:
    """Published resources the member can see that were promoted from, or are (or were)
    discussed in, this thread (for the thread page)."""
    query = select(Resource).where(
        access.visible_resources_filter(member),
        (Resource.source_thread_id == thread.id) | (Resource.id == thread.resource_id),
    )
    return list(db.session.scalars(query))


# --- History and calendar --------------------------------------------------------------------


def history(resource: Resource) -> list[ResourceTransition]:
    return list(
        db.session.scalars(
            select(ResourceTransition)
            .where(ResourceTransition.resource_id == resource.id)
            .order_by(ResourceTransition.created_at, ResourceTransition.id)
        )
    )


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weeks: list[list[date]]
    by_day: dict[date, list[Resource]]  # scheduled (publish_at) and published (published_at)
    undated: list[Resource]  # drafts and resources in review, without a date

    @property
    def title(self) -> str:
        return date(self.year, self.month, 1).strftime("%B %Y")

    @property
    def previous(self) -> str:
        return f"{self.year - 1}-12" if self.month == 1 else f"{self.year}-{self.month - 1:02d}"

    @property
    def next(self) -> str:
        return f"{self.year + 1}-01" if self.month == 12 else f"{self.year}-{self.month + 1:02d}"


def calendar_month(member: Member, year: int, month: int) -> Month:
    """The editorial calendar for one UTC month, as the editor can see it."""
    if not access.can_curate_library(member):
        raise PermissionDenied("The editorial calendar is for editors and owners.")
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise NotFound("There is no such month.")
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    dated = db.session.scalars(
        select(Resource).where(
            (
                (Resource.status == Status.SCHEDULED.value)
                & (Resource.publish_at >= start)
                & (Resource.publish_at < end)
            )
            | (
                (Resource.status == Status.PUBLISHED.value)
                & (Resource.published_at >= start)
                & (Resource.published_at < end)
            )
        )
    )
    by_day: dict[date, list[Resource]] = {}
    for resource in dated:
        if not access.can_see_resource(member, resource):
            continue
        when = resource.publish_at if resource.status == Status.SCHEDULED else resource.published_at
        assert when is not None
        by_day.setdefault(when.date(), []).append(resource)
    for items in by_day.values():
        items.sort(key=lambda r: r.publish_at or r.published_at or start)
    undated = [
        resource
        for resource in db.session.scalars(
            select(Resource)
            .where(Resource.status.in_([Status.DRAFT.value, Status.IN_REVIEW.value]))
            .order_by(Resource.updated_at.desc())
        )
        if access.can_see_resource(member, resource)
    ]
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return Month(year, month, weeks, by_day, undated)
