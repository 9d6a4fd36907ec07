"""The library's recording of an event, attached by a manager once the event has started.

The event page links to it only for members who may open the recording itself, so a recording
kept to a higher tier than its event stays out of sight.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from community import access
from community.core.clock import utcnow
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit
from community.events.models import Event
from community.events.services import get_visible_event
from community.extensions import db
from community.library.models import Kind, Resource, Status
from community.members.models import Member

RECORDING_KINDS = (Kind.RECORDING.value, Kind.VIDEO.value)


def recording_choices(manager: Member) -> list[Resource]:
    """Published recordings and videos the manager can see, newest first."""
    return list(
        db.session.scalars(
            select(Resource)
            .where(
                access.visible_resources_filter(manager),
                Resource.kind.in_(RECORDING_KINDS),
                Resource.status == Status.PUBLISHED.value,
            )
            .order_by(Resource.published_at.desc(), Resource.id.desc())
            .limit(50)
        )
    )


def attach_recording(
    manager: Member, event_id: int, resource_id: int | None, now: datetime | None = None
) -> Event:
    """Link a published recording or video to an event that has started; None removes it."""
    if not access.can_manage_events(manager):
        raise PermissionDenied("Only owners and editors manage events.")
    event = get_visible_event(manager, event_id)
    if resource_id is None:
        event.recording = None
        commit()
        return event
    if event.starts_at > (now or utcnow()):
        raise DomainError("A recording can be attached once the event has taken place.")
    resource = db.session.get(Resource, resource_id)
    if (
        resource is None
        or not access.can_see_resource(manager, resource)
        or resource.status != Status.PUBLISHED.value
        or resource.kind not in RECORDING_KINDS
    ):
        raise DomainError("Choose a published recording or video from the library.")
    event.recording = resource
    commit()
    return event
