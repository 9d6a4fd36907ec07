"""Visibility and powers, decided in one place.

Every view, list, search, notification, API call and socket room asks this module. Later
domains add their own questions here ("may this member see this thread?") and the query
builders that filter by them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, exists, select

from community.core.errors import PermissionDenied
from community.extensions import db

if TYPE_CHECKING:
    from community.events.models import Event
    from community.forum.models import Community, Post, Thread
    from community.library.models import LearningPath, Resource
    from community.members.models import Member
    from community.membership.models import Tier

MODERATOR_ROLES = frozenset({"moderator", "owner"})
EDITOR_ROLES = frozenset({"editor", "owner"})
# How much power each role carries when one member acts on another.
ROLE_POWER = {"member": 0, "editor": 1, "moderator": 2, "owner": 3}


def is_owner(member: Member | Any) -> bool:
    return bool(getattr(member, "is_authenticated", False)) and member.role == "owner"


def is_moderator(member: Member | Any) -> bool:
    return bool(getattr(member, "is_authenticated", False)) and member.role in MODERATOR_ROLES


def is_editor(member: Member | Any) -> bool:
    return bool(getattr(member, "is_authenticated", False)) and member.role in EDITOR_ROLES


def tier_admits(member: Member, min_tier: Tier) -> bool:
    """A member sees an object when their tier's rank is at least the object's minimum tier."""
    return member.tier.rank >= min_tier.rank


def can_act_on_member(actor: Member, target: Member) -> bool:
    """Moderators act on those with less power than themselves; nobody acts on themselves."""
    if actor.id == target.id or not is_moderator(actor):
        return False
    return ROLE_POWER[actor.role] > ROLE_POWER[target.role]


def _role_required(check: Callable[[Any], bool]) -> Callable[[Callable[..., Any]], Any]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


moderator_required = _role_required(is_moderator)
owner_required = _role_required(is_owner)
editor_required = _role_required(is_editor)


# --- Discussions -------------------------------------------------------------------------
# Owners see every community; everyone else, moderators included, sees what their tier
# reaches. A hidden community, thread or post answers 404, exactly like one that does not exist.


def visible_communities(member: Member) -> Select[tuple[Community]]:
    """Communities the member may open, not archived, in the owners' order."""
    from community.forum.models import Community
    from community.membership.models import Tier

    query = (
        select(Community)
        .join(Community.min_tier)
        .where(Community.archived_at.is_(None))
        .order_by(Community.category, Community.position, Community.name)
    )
    if not is_owner(member):
        query = query.where(Tier.rank <= member.tier.rank)
    return query


def can_see_community(member: Member, community: Community) -> bool:
    if community.archived_at is not None and not is_owner(member):
        return False
    return is_owner(member) or tier_admits(member, community.min_tier)


def can_moderate_community(member: Member, community: Community) -> bool:
    """Moderators everywhere they can see; chapter leads only in their own community."""
    if not can_see_community(member, community):
        return False
    return is_moderator(member) or any(lead.id == member.id for lead in community.leads)


def is_chapter_lead(member: Member | Any) -> bool:
    """Leads at least one chapter (and so works the flag queue for it)."""
    from community.forum.models import ChapterLead

    if not getattr(member, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(exists().where(ChapterLead.member_id == member.id))))


def can_see_thread(member: Member, thread: Thread) -> bool:
    """Deleted threads show to moderators only; threads held after flags also to their author,
    who is told why."""
    if not can_see_community(member, thread.community):
        return False
    if not can_see_discussed_resource(member, thread):
        return False
    if thread.deleted_at is None and not thread.is_held:
        return True
    if can_moderate_community(member, thread.community):
        return True
    return thread.deleted_at is None and thread.author_id == member.id


def check_can_reply(member: Member, thread: Thread) -> None:
    """A closed thread takes no replies from anyone (a moderator reopens it first); a locked
    one takes them from the community's moderators only."""
    if thread.is_closed:
        raise PermissionDenied("This thread is closed; reopen it to reply.")
    if thread.locked and not can_moderate_community(member, thread.community):
        raise PermissionDenied("This thread is locked: only moderators may post.")


def can_reopen_thread(member: Member, thread: Thread) -> bool:
    """A closed thread is reopened by the community's moderators (chapter leads included), or
    by its author when the author closed it: a moderator's close is not the author's to undo."""
    if not thread.is_closed or not can_see_thread(member, thread):
        return False
    if can_moderate_community(member, thread.community):
        return True
    return thread.author_id == member.id and thread.closed_by_id == member.id


def can_see_post(member: Member, post: Post, moderator: bool | None = None) -> bool:
    """Within a visible thread: deleted and held posts show only to their author and moderators.

    ``moderator`` may be passed in when the caller already knows it for the whole thread.
    """
    if post.deleted_at is None and not post.is_held:
        return True
    if moderator is None:
        moderator = can_moderate_community(member, post.thread.community)
    return moderator or (post.author_id == member.id and post.deleted_at is None)


def _in_visible_communities(member: Member) -> Any:
    from community.forum.models import Community, Thread
    from community.membership.models import Tier

    community_ids = (
        select(Community.id).join(Community.min_tier).where(Community.archived_at.is_(None))
    )
    if not is_owner(member):
        community_ids = community_ids.where(Tier.rank <= member.tier.rank)
    return Thread.community_id.in_(community_ids)


def visible_threads_filter(member: Member) -> Any:
    """A WHERE clause limiting threads to communities the member sees (for joined queries),
    leaving out deleted threads and threads held after flags (their author reaches a held
    thread by its page only)."""
    from community.forum.models import Thread

    return (
        _in_visible_communities(member)
        & discussed_resource_filter(member)
        & Thread.deleted_at.is_(None)
        & (Thread.held_reason == "")
    )


def moderated_threads_filter(member: Member) -> Any:
    """A WHERE clause limiting threads to communities the member moderates: every visible one
    for moderators, all for owners, and their own chapters for chapter leads. Held threads are
    included: moderators review them."""
    from community.forum.models import ChapterLead, Thread

    if is_owner(member):
        return Thread.id.is_not(None)
    live = (
        _in_visible_communities(member)
        & discussed_resource_filter(member)
        & Thread.deleted_at.is_(None)
    )
    if is_moderator(member):
        return live
    lead_of = select(ChapterLead.community_id).where(ChapterLead.member_id == member.id)
    return live & Thread.community_id.in_(lead_of)


# --- Who could read it: for suggestions of whom to mention -------------------------------------


def community_readers_filter(community: Community) -> Any:
    """A WHERE clause on members: those who may open the community (the SQL form of
    ``can_see_community``, for the other side of the question)."""
    from community.members.models import Member
    from community.membership.models import Tier

    owners = Member.role == "owner"
    if community.archived_at is not None:
        return owners
    admitted = select(Tier.id).where(Tier.rank >= community.min_tier.rank)
    return owners | Member.tier_id.in_(admitted)


def thread_readers_filter(thread: Thread) -> Any:
    """Members who may open the thread: its community's readers, narrowed to its moderators
    (and, for a held thread, its author) when it is deleted or held (``can_see_thread``)."""
    from community.forum.models import ChapterLead
    from community.members.models import Member

    readers = community_readers_filter(thread.community) & discussed_resource_readers_filter(thread)
    if thread.deleted_at is None and not thread.is_held:
        return readers
    leads = select(ChapterLead.member_id).where(ChapterLead.community_id == thread.community_id)
    allowed = Member.role.in_(MODERATOR_ROLES) | Member.id.in_(leads)
    if thread.deleted_at is None:
        allowed = allowed | (Member.id == thread.author_id)
    return readers & allowed


# --- Events ------------------------------------------------------------------------------
# Owners see every event; everyone else, editors included, sees the events their tier
# reaches. A hidden event answers 404 on its page, its calendar file and its RSVP form.


def can_manage_events(member: Member | Any) -> bool:
    """Owners and editors create, edit and cancel events, and see who is coming."""
    return is_editor(member)


def visible_events_filter(member: Member) -> Any:
    """A WHERE clause limiting events to those the member may open."""
    from community.events.models import Event
    from community.membership.models import Tier

    if is_owner(member):
        return Event.id.is_not(None)
    return Event.min_tier_id.in_(select(Tier.id).where(Tier.rank <= member.tier.rank))


def can_see_event(member: Member, event: Event) -> bool:
    return is_owner(member) or tier_admits(member, event.min_tier)


# --- Library -----------------------------------------------------------------------------
# Members see published resources their tier reaches. Editors also see drafts, resources in
# review, scheduled and archived ones, within their tier; owners see every resource. A hidden
# resource (and its file) answers 404.


def visible_resources_filter(member: Member) -> Any:
    """A WHERE clause limiting resources to published ones the member's tier reaches (owners:
    every tier). Lists and related items use it; editors reach unpublished ones by their page."""
    from community.library.models import Resource, Status
    from community.membership.models import Tier

    published = Resource.status == Status.PUBLISHED.value
    if is_owner(member):
        return published
    admitted = select(Tier.id).where(Tier.rank <= member.tier.rank)
    return published & Resource.min_tier_id.in_(admitted)


def visible_topics_filter(member: Member) -> Any:
    """A WHERE clause on topics: those used by at least one resource the member sees in lists.
    A topic used only by hidden resources would hint at what they are about, so it answers
    exactly like one that does not exist (list, filter, follow)."""
    from community.library.models import Resource, Topic, resource_topic

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
    from community.library.models import Resource, Status
    from community.membership.models import Tier

    if is_owner(member):
        return Resource.id.is_not(None)
    admitted = Resource.min_tier_id.in_(select(Tier.id).where(Tier.rank <= member.tier.rank))
    if is_editor(member):
        return admitted
    return admitted & (Resource.status == Status.PUBLISHED.value)


# A library discussion thread is visible iff its resource is (on top of its community's tier):
# archiving, unpublishing or raising the resource's tier closes its talk to the same people,
# on the thread page, in lists, "what's new", notifications and live updates alike.


def can_see_discussed_resource(member: Member, thread: Thread) -> bool:
    """True for ordinary threads; for a resource's discussion, whether the member sees it."""
    from community.library.models import Resource

    if thread.resource_id is None or is_owner(member):
        return True
    resource = db.session.get(Resource, thread.resource_id)
    return resource is None or can_see_resource(member, resource)


def discussed_resource_filter(member: Member) -> Any:
    """A WHERE clause on threads: ordinary ones, and discussions of resources the member sees
    (``can_see_discussed_resource``)."""
    from community.forum.models import Thread
    from community.library.models import Resource

    if is_owner(member):
        return Thread.id.is_not(None)
    readable = select(Resource.id).where(readable_resources_filter(member))
    return Thread.resource_id.is_(None) | Thread.resource_id.in_(readable)


def discussed_resource_readers_filter(thread: Thread) -> Any:
    """A WHERE clause on members: everyone for an ordinary thread; for a resource's
    discussion, those who may open the resource."""
    from community.library.models import Resource
    from community.members.models import Member

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


def can_edit_resource(member: Member, resource: Resource) -> bool:
    """Editors and owners curate every resource they can see."""
    return is_editor(member) and can_see_resource(member, resource)


def can_see_resource_figures(member: Member, resource: Resource) -> bool:
    """Views, downloads and completions show to the resource's authors, editors and owners."""
    if not can_see_resource(member, resource):
        return False
    return is_editor(member) or any(author.id == member.id for author in resource.authors)


def resource_readers_filter(resource: Resource) -> Any:
    """A WHERE clause on members: those who may open the resource (``can_see_resource`` from
    the other side), for picking whom to tell about it."""
    from community.members.models import Member
    from community.membership.models import Tier

    owners = Member.role == "owner"
    admitted = Member.tier_id.in_(select(Tier.id).where(Tier.rank >= resource.min_tier.rank))
    if resource.status == "published":
        return owners | admitted
    return owners | (admitted & Member.role.in_(EDITOR_ROLES))
