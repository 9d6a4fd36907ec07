"""Events, planned through the service as an editor would."""

from __future__ import annotations

from datetime import timedelta

from community.core.clock import utcnow
from community.events.models import Event
from community.events.services import EventDraft, create_event
from community.members.models import Member
from tests.factories.members import make_member


def draft(**overrides) -> EventDraft:
    """An in-person strategist-tier event next week, in UTC, unless told otherwise."""
    start = (utcnow() + timedelta(days=7)).replace(tzinfo=None, second=0, microsecond=0)
    values = {
        "title": "Social ROI roundtable",
        "description": "Bring **one** metric your board trusts.",
        "starts_local": start,
        "ends_local": start + timedelta(hours=2),
        "timezone": "UTC",
        "online": False,
        "location": "Council House, London",
        "link": "",
        "capacity": None,
        "min_tier": "strategist",
    }
    values.update(overrides)
    return EventDraft(**values)


def make_event(manager: Member | None = None, **overrides) -> Event:
    manager = manager or make_member("owner")
    return create_event(manager, draft(**overrides))
