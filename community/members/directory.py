"""The member directory: who the viewer may find, filtered and sorted inside one query.

Each member's directory visibility is applied in SQL (``access.visible_members_filter``), so
paging, counts and filters never see a hidden member. A page costs the same few queries
whatever the number of members: count, page, the page's interests, the region choices.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from community import access
from community.core.pagination import Page, paginate
from community.extensions import db
from community.forum.models import Post
from community.members.levels import Level
from community.members.models import Member, MemberInterest, Tier

PER_PAGE = 30


class DirectorySort(StrEnum):
    NAME = "name"
    NEWEST = "newest"
    ACTIVE = "active"

    @property
    def label(self) -> str:
        return {"name": "Name", "newest": "Newest members", "active": "Most posts"}[self.value]


SORT_VALUES = frozenset(sort.value for sort in DirectorySort)


@dataclass(frozen=True)
class DirectoryFilters:
    """What the directory form asks for; empty strings mean "any". Values that name nothing
    (an unknown tier or level) simply match nobody, as any other filter would."""

    tier: str = ""
    level: str = ""
    region: str = ""
    company: str = ""
    interest: str = ""
    sort: str = DirectorySort.NAME.value

    @property
    def active(self) -> bool:
        return any((self.tier, self.level, self.region, self.company, self.interest))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def directory_query(viewer: Member, filters: DirectoryFilters) -> Select[tuple[Member]]:
    query = select(Member).where(access.visible_members_filter(viewer))
    if filters.tier:
        query = query.where(Member.tier_id.in_(select(Tier.id).where(Tier.slug == filters.tier)))
    if filters.level:
        query = query.where(Member.level == filters.level)
    if filters.region:
        query = query.where(Member.region == filters.region)
    if filters.company:
        pattern = f"%{_escape_like(filters.company.strip().lower())}%"
        query = query.where(func.lower(Member.company).like(pattern, escape="\\"))
    if filters.interest:
        tag = " ".join(filters.interest.split()).lower()
        query = query.where(
            Member.id.in_(select(MemberInterest.member_id).where(MemberInterest.tag == tag))
        )
    sort = filters.sort if filters.sort in SORT_VALUES else DirectorySort.NAME.value
    if sort == DirectorySort.NEWEST:
        return query.order_by(Member.created_at.desc(), Member.id.desc())
    if sort == DirectorySort.ACTIVE:
        posts = (
            select(Post.author_id, func.count().label("posts"))
            .where(Post.deleted_at.is_(None), Post.author_id.is_not(None))
            .group_by(Post.author_id)
            .subquery()
        )
        return query.outerjoin(posts, posts.c.author_id == Member.id).order_by(
            func.coalesce(posts.c.posts, 0).desc(), Member.name, Member.id
        )
    return query.order_by(func.lower(Member.name), Member.id)


def list_directory(viewer: Member, filters: DirectoryFilters, page: int = 1) -> Page[Member]:
    """One page of the members the viewer may find, with their interests loaded."""
    query = directory_query(viewer, filters).options(selectinload(Member.interests))
    return paginate(query, page=page, per_page=PER_PAGE)


def region_choices(viewer: Member) -> list[str]:
    """The regions of the members the viewer may find (never one only a hidden member has)."""
    query = (
        select(Member.region)
        .where(access.visible_members_filter(viewer), Member.region != "")
        .distinct()
        .order_by(Member.region)
    )
    return list(db.session.scalars(query))


def tier_choices() -> list[Tier]:
    return list(db.session.scalars(select(Tier).order_by(Tier.rank.desc())))


LEVEL_FILTER_CHOICES = [(level.value, level.label) for level in Level]
