"""Events: who sees an event and who manages them."""

from __future__ import annotations

from typing import Any

from community.access.roles import admitted_tier_ids, is_editor, is_owner, tier_admits
from community.events.models import Event
from community.members.models import Member

# --- Events ------------------------------------------------------------------------------
# Owners see every event; everyone else, editors included, sees the events their tier
# reaches. A hidden event answers 404 on its page, its calendar file and its RSVP form.


def can_manage_events(member: Member | Any) -> bool:
    """Owners and editors create, edit and cancel events, and see who is coming."""
    return is_editor(member)


def visible_events_filter(member: Member) -> Any:
    """A WHERE clause limiting events to those the member may open."""
    if is_owner(member):
        return Event.id.is_not(None)
    return Event.min_tier_id.in_(admitted_tier_ids(member))


def can_see_event(member: Member, event: Event) -> bool:
    return is_owner(member) or tier_admits(member, event.min_tier)
