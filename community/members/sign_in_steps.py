"""The state between a correct password and the second factor, kept in the signed session
cookie for a few minutes.

The code page exists only for someone who has just given a correct password, so it tells a
stranger nothing about which addresses are members. The state names the member's
``session_version``: a password reset or revocation in between voids it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import session

from community.core.clock import utcnow
from community.members.models import Member
from community.members.two_factor import get_member_waiting_for_code

PENDING_KEY = "sign_in_pending"
PENDING_LIFETIME = timedelta(minutes=5)


def hold_for_second_step(member: Member, *, remember: bool, next_url: str) -> None:
    session[PENDING_KEY] = {
        "member_id": member.id,
        "version": member.session_version,
        "until": (utcnow() + PENDING_LIFETIME).timestamp(),
        "remember": bool(remember),
        "next": next_url,
    }


def pending_state() -> dict[str, Any] | None:
    """The pending state if it has not run out (it says nothing about the member yet)."""
    state = session.get(PENDING_KEY)
    if not isinstance(state, dict) or state.get("until", 0) <= utcnow().timestamp():
        return None
    return state


def pending_member() -> tuple[Member, dict[str, Any]] | None:
    """The member waiting to give a code, with the state, while both are still good."""
    state = pending_state()
    if state is None:
        return None
    member = get_member_waiting_for_code(state["member_id"], state["version"])
    return (member, state) if member is not None else None


def clear_pending() -> None:
    session.pop(PENDING_KEY, None)
