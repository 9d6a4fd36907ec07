"""Owners create and arrange communities; members list the ones they can see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.domain_events import CommunityChanged
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.extensions import db
from community.forum.activity import NO_ACTIVITY, Activity, weekly_activity
from community.forum.models import Community, Thread, listed_thread_community
from community.forum.unread import unread_by_community
from community.members.models import Member, Tier

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")


@dataclass(frozen=True)
class CommunityDraft:
    name: str
    slug: str
    description: str
    category: str
    min_tier: str  # a tier slug
    is_chapter: bool = False
    position: int = 0


def get_visible_community(member: Member, slug: str) -> Community:
    community = db.session.scalars(select(Community).where(Community.slug == slug)).first()
    if community is None or not access.can_see_community(member, community):
        raise NotFound("There is no such community.")
    return community


def list_visible_communities(member: Member) -> list[Community]:
    return list(db.session.scalars(access.visible_communities(member)))


@dataclass(frozen=True)
class CommunityCard:
    """One community on the communities page, with what the member would want to know first."""

    community: Community
    latest: Thread | None  # None: nothing the member may see was posted there yet
    activity: Activity  # new threads and posts over the last seven days
    unread: int


@dataclass(frozen=True)
class CommunityOverview:
    subjects: list[tuple[str, list[CommunityCard]]]  # by category, in the owners' order
    library: list[CommunityCard]  # where library resources are discussed


def get_overview(member: Member) -> CommunityOverview:
    """Every community the member sees, each with its latest thread, its week and the member's
    unread count: a fixed handful of queries, each over counters kept on write (the latest
    threads by primary key), however many threads and posts there are."""
    visible = list_visible_communities(member)
    unread = unread_by_community(member)
    activity = weekly_activity()
    latest_ids = [c.last_thread_id for c in visible if c.last_thread_id is not None]
    latest = {
        thread.id: thread
        for thread in db.session.scalars(
            select(Thread)
            .where(Thread.id.in_(latest_ids), access.visible_threads_filter(member))
            .options(joinedload(Thread.last_poster), listed_thread_community())
        )
    }
    cards = [
        CommunityCard(
            community=community,
            latest=latest.get(community.last_thread_id or 0),
            activity=activity.get(community.id, NO_ACTIVITY),
            unread=unread.get(community.id, 0),
        )
        for community in visible
    ]
    subjects = [card for card in cards if not card.community.is_library]
    return CommunityOverview(
        subjects=[
            (category, list(items))
            for category, items in groupby(subjects, lambda card: card.community.category)
        ],
        library=[card for card in cards if card.community.is_library],
    )


def list_moderated_communities(member: Member) -> list[Community]:
    """Where a member may move threads to: every visible community for moderators, their own
    chapters for chapter leads."""
    return [
        community
        for community in list_visible_communities(member)
        if access.can_moderate_community(member, community)
    ]


def list_all_communities() -> list[Community]:
    return list(
        db.session.scalars(
            select(Community).order_by(Community.category, Community.position, Community.name)
        )
    )


def _check(owner: Member, draft: CommunityDraft, existing: Community | None) -> Tier:
    if not access.is_owner(owner):
        raise PermissionDenied("Only owners manage communities.")
    if not draft.name.strip():
        raise DomainError("Give the community a name.", field="name")
    if not SLUG_PATTERN.match(draft.slug):
        raise DomainError(
            "Use 2-60 lowercase letters, digits and hyphens for the address.", field="slug"
        )
    clash = db.session.scalars(select(Community).where(Community.slug == draft.slug)).first()
    if clash is not None and clash is not existing:
        raise DomainError("Another community uses that address.", field="slug")
    if not draft.category.strip():
        raise DomainError("Give a category; communities are grouped by it.", field="category")
    tier = db.session.scalars(select(Tier).where(Tier.slug == draft.min_tier)).first()
    if tier is None:
        raise DomainError("Choose a tier.", field="min_tier")
    return tier


def create_community(owner: Member, draft: CommunityDraft) -> Community:
    tier = _check(owner, draft, None)
    community = Community(
        name=draft.name.strip(),
        slug=draft.slug,
        description=draft.description.strip(),
        category=draft.category.strip(),
        min_tier=tier,
        is_chapter=draft.is_chapter,
        position=draft.position,
    )
    db.session.add(community)
    db.session.flush()
    record_audit(
        owner,
        "community.created",
        "community",
        community.id,
        target_label=draft.slug,
        min_tier=tier.slug,
    )
    publish(CommunityChanged(community_id=community.id))
    commit()
    return community


def update_community(owner: Member, community_id: int, draft: CommunityDraft) -> Community:
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound("There is no such community.")
    tier = _check(owner, draft, community)
    record_audit(
        owner,
        "community.updated",
        "community",
        community.id,
        target_label=draft.slug,
        old_min_tier=community.min_tier.slug,
        min_tier=tier.slug,
    )
    community.name = draft.name.strip()
    community.slug = draft.slug
    community.description = draft.description.strip()
    community.category = draft.category.strip()
    community.min_tier = tier
    community.is_chapter = draft.is_chapter
    community.position = draft.position
    publish(CommunityChanged(community_id=community.id))
    commit()
    return community


def set_archived(owner: Member, community_id: int, archived: bool) -> Community:
    if not access.is_owner(owner):
        raise PermissionDenied("Only owners manage communities.")
    community = db.session.get(Community, community_id)
    if community is None:
        raise NotFound("There is no such community.")
    community.archived_at = utcnow() if archived else None
    record_audit(
        owner,
        "community.archived" if archived else "community.restored",
        "community",
        community.id,
        target_label=community.slug,
    )
    publish(CommunityChanged(community_id=community.id))
    commit()
    return community
