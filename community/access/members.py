"""Members: which accounts carry powers that call for a second sign-in factor."""

from __future__ import annotations

from typing import Any

from community.members.models import Member, Role

# Moderators, editors and owners can see and change what others cannot; a stolen password
# alone must not open such an account when the site requires two-step sign-in of staff.
STAFF_ROLES = frozenset({Role.MODERATOR.value, Role.EDITOR.value, Role.OWNER.value})


def must_use_two_factor(member: Member | Any) -> bool:
    """Whether the member's role is one ``COMMUNITY_REQUIRE_2FA_FOR_STAFF`` applies to."""
    return bool(getattr(member, "is_authenticated", False)) and member.role in STAFF_ROLES
