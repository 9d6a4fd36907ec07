"""Members by role and tier; each commits what it makes."""

from __future__ import annotations

from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.members.models import Member, MemberInterest, Tier
from community.members.services import hash_password, make_handle
from tests.factories.sequence import next_number

PASSWORD = "correct horse battery staple"

TIER_FOR_LEVEL = {
    "c_suite": "council",
    "evp": "council",
    "svp": "council",
    "vp": "executive",
    "director": "strategist",
}
LEVEL_FOR_TIER = {"council": "c_suite", "executive": "vp", "strategist": "director"}


def tier(slug: str) -> Tier:
    return db.session.scalars(select(Tier).where(Tier.slug == slug)).one()


def make_member(
    role: str = "member",
    tier_slug: str = "council",
    *,
    level: str | None = None,
    email: str | None = None,
    name: str | None = None,
    status: str = "active",
) -> Member:
    """A member who signs in with ``PASSWORD`` (hashed with the app's configured method, a
    single cheap round under the test configuration)."""
    member = build_member(role, tier_slug, level=level, email=email, name=name, status=status)
    db.session.add(member)
    commit()
    return member


def build_member(
    role: str = "member",
    tier_slug: str = "council",
    *,
    level: str | None = None,
    email: str | None = None,
    name: str | None = None,
    status: str = "active",
) -> Member:
    """``make_member``'s member, neither added nor committed: for factories that write many
    rows in one go."""
    n = next_number()
    name = name or f"Member {n}"
    member = Member(
        handle=make_handle(name),
        email=email or f"member{n}@example-corp.com",
        name=name,
        title="Chief Strategy Officer",
        level=level or LEVEL_FOR_TIER[tier_slug],
        company="Example Corp",
        region="Europe",
        role=role,
        tier=tier(tier_slug),
        status=status,
        password_hash=hash_password(PASSWORD),
    )
    return member


def set_profile(member: Member, interests: tuple[str, ...] = (), **fields: object) -> Member:
    """Profile fields as the member would save them (directory_visibility, region, bio...)."""
    for name, value in fields.items():
        setattr(member, name, value)
    if interests:
        member.interests = [MemberInterest(tag=tag) for tag in interests]
    commit()
    return member
