"""The library: which resources, topics and paths a member may see, and resource discussions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.access.roles import (
    EDITOR_ROLES,
    admitted_tier_ids,
    is_editor,
    is_owner,
    tier_admits,
    tier_readers_filter,
)
from community.extensions import db
from community.forum.models import Thread
from community.library.models import LearningPath, Resource, Status, Topic, resource_topic
from community.members.models import Member

# --- Library -----------------------------------------------------------------------------
# Members see published resources their tier reaches. Editors also see drafts, resources in
# review, scheduled and archived ones, within their tier; owners see every resource. A hidden
# resource (and its file) answers 404.


def visible_resources_filter(member: Member) -> Any:
    """A WHERE clause limiting resources to published ones the member's tier reaches (owners:
    every tier). Lists and related items use it; editors reach unpublished ones by their page."""
    published = Resource.status == Status.PUBLISHED.value
    if is_owner(member):
        return published
    return published & Resource.min_tier_id.in_(admitted_tier_ids(member))


def visible_topics_filter(member: Member) -> Any:
    """A WHERE clause on topics: those used by at least one resource the member sees in lists.
    A topic used only by hidden resources would hint at what they are about, so it answers
    exactly like one that does not exist (list, filter, follow)."""
    used = (
        select(resource_topic.c.topic_id)
        .join(Resource, Resource.id == resource_topic.c.resource_id)
        .where(visible_resources_filter(member))
    )
    return Topic.id.in_(used)


def can_see_resource(member: Member, resource: Resource) -> bool:
    if is_owner(member):
        return True
    if not tier_admits(member, resource.min_tier):
        return False
    return resource.status == "published" or is_editor(member)


def readable_resources_filter(member: Member) -> Any:
    """A WHERE clause on resources, the SQL form of ``can_see_resource``: what the member may
    open, whatever its status (editors: drafts and archived ones too, within their tier)."""
    if is_owner(member):
        return Resource.id.is_not(None)
    admitted = Resource.min_tier_id.in_(admitted_tier_ids(member))
    if is_editor(member):
        return admitted
    return admitted & (Resource.status == Status.PUBLISHED.value)


# A library discussion thread is visible iff its resource is (on top of its community's tier):
# archiving, unpublishing or raising the resource's tier closes its talk to the same people,
# on the thread page, in lists, "what's new", notifications and live updates alike.


def can_see_discussed_resource(member: Member, thread: Thread) -> bool:
    """True for ordinary threads; for a resource's discussion, whether the member sees it."""
    if thread.resource_id is None or is_owner(member):
        return True
    resource = db.session.get(Resource, thread.resource_id)
    return resource is None or can_see_resource(member, resource)


def discussed_resource_filter(member: Member) -> Any:
    """A WHERE clause on threads: ordinary ones, and discussions of resources the member sees
    (``can_see_discussed_resource``)."""
    if is_owner(member):
        return Thread.id.is_not(None)
    readable = select(Resource.id).where(readable_resources_filter(member))
    return Thread.resource_id.is_(None) | Thread.resource_id.in_(readable)


def discussed_resource_readers_filter(thread: Thread) -> Any:
    """A WHERE clause on members: everyone for an ordinary thread; for a resource's
    discussion, those who may open the resource."""
    resource = db.session.get(Resource, thread.resource_id) if thread.resource_id else None
    return Member.id.is_not(None) if resource is None else resource_readers_filter(resource)


def can_see_path(member: Member, path: LearningPath) -> bool:
    """A learning path shows (to members and editors alike) only when the member's tier reaches
    every step: its title, summary and order describe all of them, and an editor who saved a
    path with steps out of sight would drop them. Unpublished steps are an editorial state,
    not an audience: members simply do not see them in the path."""
    return is_owner(member) or all(
        tier_admits(member, step.resource.min_tier) for step in path.steps
    )


def can_curate_library(member: Member | Any) -> bool:
    """Editors and owners write resources, schedule them, promote discussions and build
    learning paths."""
    return is_editor(member)


def can_edit_resource(member: Member, resource: Resource) -> bool:
    """Editors and owners curate every resource they can see."""
    return can_curate_library(member) and can_see_resource(member, resource)


def can_see_resource_figures(member: Member, resource: Resource) -> bool:
    """Views, downloads and completions show to the resource's authors, editors and owners."""
    if not can_see_resource(member, resource):
        return False
    return is_editor(member) or any(author.id == member.id for author in resource.authors)


def resource_readers_filter(resource: Resource) -> Any:
    """A WHERE clause on members: those who may open the resource (``can_see_resource`` from
    the other side), for picking whom to tell about it."""
    owners = Member.role == "owner"
    admitted = tier_readers_filter(resource.min_tier)
    if resource.status == "published":
        return owners | admitted
    return owners | (admitted & Member.role.in_(EDITOR_ROLES))
