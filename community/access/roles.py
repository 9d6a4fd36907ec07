"""Roles: who moderates, edits and owns, and the view decorators that require them."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from community.core.errors import NotFound
from community.members.models import Member, MemberStatus, Role, Tier

# The roles an owner can give from the console, least power first (chapter leads are per
# community: ``forum/chapter_leads.py``).
ASSIGNABLE_ROLES = (Role.MEMBER, Role.EDITOR, Role.MODERATOR, Role.OWNER)
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


def check_owner(member: Member | Any) -> None:
    """The owners' console answers everyone else as if it did not exist (404), as the metrics
    dashboard does: the console's pages and objects are not theirs to know about."""
    if not is_owner(member):
        raise NotFound()


def can_change_role(actor: Member, target: Member) -> bool:
    """Owners appoint and remove roles, never their own: an owner who wants to step down asks
    another owner, so nobody demotes themselves by a slip of the mouse."""
    return is_owner(actor) and actor.id != target.id


def can_change_tier(actor: Member, target: Member) -> bool:
    """Owners move members between tiers (their own too: it demotes no power)."""
    return is_owner(actor)


def can_reset_two_factor(actor: Member, target: Member) -> bool:
    """Owners turn off a member's two-step sign-in when the member lost their phone and their
    recovery codes; never their own: an owner in that plight asks another owner, so one
    stolen owner session cannot quietly strip its own second factor."""
    return is_owner(actor) and actor.id != target.id and target.uses_two_factor


def tier_admits(member: Member, min_tier: Tier) -> bool:
    """A member sees an object when their tier's rank is at least the object's minimum tier."""
    return member.tier.rank >= min_tier.rank


def admitted_tiers_filter(member: Member) -> Any:
    """A WHERE clause on tiers: those the member's tier reaches (the SQL form of
    ``tier_admits``, for every "within your tier" list and filter)."""
    return Tier.rank <= member.tier.rank


def admitted_tier_ids(member: Member) -> Any:
    """A subquery of the ids of the tiers the member's tier reaches."""
    return select(Tier.id).where(admitted_tiers_filter(member))


def tier_readers_filter(min_tier: Tier) -> Any:
    """A WHERE clause on members: those whose tier reaches ``min_tier`` (``tier_admits`` from
    the object's side)."""
    return Member.tier_id.in_(select(Tier.id).where(Tier.rank >= min_tier.rank))


def can_plan_for_tier(member: Member, tier: Tier) -> bool:
    """Editors publish resources and events for tiers their own reaches (they could not see
    them otherwise); owners for every tier."""
    return is_owner(member) or tier_admits(member, tier)


def no_wider_audience(source: Tier, target: Tier) -> bool:
    """Text written for a ``source`` audience may travel to a ``target`` one (a quote, a
    promotion, a moved discussion) only when everyone ``target`` admits, ``source`` admits."""
    return target.rank >= source.rank


def moderators_filter() -> Any:
    """A WHERE clause on members: those with a moderator's role (``is_moderator``)."""
    return Member.role.in_(MODERATOR_ROLES)


def can_act_on_member(actor: Member, target: Member) -> bool:
    """Moderators act on those with less power than themselves; nobody acts on themselves,
    and nobody on a deleted account (reinstating one would bring back an empty shell)."""
    if actor.id == target.id or not is_moderator(actor) or target.status == MemberStatus.DELETED:
        return False
    return ROLE_POWER[actor.role] > ROLE_POWER[target.role]


def _role_required(
    check: Callable[[Any], bool], refusal: int = 403
) -> Callable[[Callable[..., Any]], Any]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not check(current_user):
                abort(refusal)
            return view(*args, **kwargs)

        return wrapped

    return decorator


moderator_required = _role_required(is_moderator)
# The owners' pages answer everyone else 404: their existence is not theirs to know.
owner_required = _role_required(is_owner, refusal=404)
editor_required = _role_required(is_editor)
