"""Members: whose profile a member may open, whom the directory lists, and which accounts
carry powers that call for a second sign-in factor.

A member chooses who finds them (``DirectoryVisibility``): all members, members of their tier
and above, or nobody. Suspended and revoked members show to moderators only, as Discourse
hides suspended profiles' details. Moderators and owners see everyone (they act on members);
everyone sees themselves. Whatever the setting, a member's posts still show their name, handle
and photo to the posts' readers: this rule is about the profile page and the directory.
A profile out of sight answers 404, exactly like an id that names nobody.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.access.roles import is_moderator
from community.core.clock import utcnow
from community.core.errors import NotFound
from community.extensions import db
from community.members.export_models import DataExport
from community.members.models import DirectoryVisibility, Member, MemberStatus, Role, Tier

# Moderators, editors and owners can see and change what others cannot; a stolen password
# alone must not open such an account when the site requires two-step sign-in of staff.
STAFF_ROLES = frozenset({Role.MODERATOR.value, Role.EDITOR.value, Role.OWNER.value})


def _in_good_standing(member: Member) -> bool:
    """Active, or suspended with the suspension over (``Member.is_active``)."""
    return bool(member.is_active)


def _in_good_standing_filter() -> Any:
    return (Member.status == MemberStatus.ACTIVE.value) | (
        (Member.status == MemberStatus.SUSPENDED.value)
        & Member.suspended_until.is_not(None)
        & (Member.suspended_until <= utcnow())
    )


def can_see_profile(viewer: Member, member: Member) -> bool:
    if member.status == MemberStatus.DELETED:
        return False  # a former member has no profile, for moderators neither
    if viewer.id == member.id or is_moderator(viewer):
        return True
    if not _in_good_standing(member):
        return False
    visibility = member.directory_visibility
    if visibility == DirectoryVisibility.ALL.value:
        return True
    if visibility == DirectoryVisibility.TIER_AND_ABOVE.value:
        return viewer.tier.rank >= member.tier.rank
    return False


def visible_members_filter(viewer: Member) -> Any:
    """A WHERE clause on members: those whose profile the viewer may open, the SQL form of
    ``can_see_profile`` (the directory lists exactly these)."""
    if is_moderator(viewer):
        return Member.status != MemberStatus.DELETED.value
    tiers_reached = select(Tier.id).where(Tier.rank <= viewer.tier.rank)
    listed = (Member.directory_visibility == DirectoryVisibility.ALL.value) | (
        (Member.directory_visibility == DirectoryVisibility.TIER_AND_ABOVE.value)
        & Member.tier_id.in_(tiers_reached)
    )
    return (Member.id == viewer.id) | (_in_good_standing_filter() & listed)


def get_visible_member(viewer: Member, member_id: int) -> Member:
    member = db.session.get(Member, member_id)
    if member is None or not can_see_profile(viewer, member):
        raise NotFound("There is no such member.")
    return member


def can_download_export(member: Member, export: DataExport) -> bool:
    """A data export is its member's alone: moderators and owners included, nobody else may
    fetch it, whatever link they hold."""
    return bool(getattr(member, "is_authenticated", False)) and export.member_id == member.id


def must_use_two_factor(member: Member | Any) -> bool:
    """Whether the member's role is one ``COMMUNITY_REQUIRE_2FA_FOR_STAFF`` applies to."""
    return bool(getattr(member, "is_authenticated", False)) and member.role in STAFF_ROLES
