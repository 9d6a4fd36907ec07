"""Owners and editors plan events; members list the ones their tier reaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from sqlalchemy import select

from community import access
from community.core.clock import to_utc, utcnow
from community.core.domain_events import EventChanged
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.core.pagination import Page, paginate
from community.events.models import Answer, Event, Rsvp
from community.events.rsvps import lock_event, promote_waiting
from community.extensions import db
from community.forum.markdown import render_markdown
from community.members.models import Member, Tier

MAX_TITLE, MAX_DESCRIPTION = 200, 20_000
MAX_CAPACITY = 100_000
PER_PAGE = 20


@dataclass(frozen=True)
class EventDraft:
    """What the event form says. Start and end are wall-clock times in ``timezone``."""

    title: str
    description: str
    starts_local: datetime
    ends_local: datetime
    timezone: str
    online: bool
    location: str
    link: str
    capacity: int | None
    min_tier: str  # a tier slug


@cache
def timezone_names() -> list[str]:
    """The IANA zone names, read once: listing the zone folders takes tens of milliseconds."""
    return sorted(available_timezones())


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(timezone_names())


def get_visible_event(member: Member, event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not access.can_see_event(member, event):
        raise NotFound("There is no such event.")
    return event


def list_upcoming_events(member: Member, page: int = 1, now: datetime | None = None) -> Page:
    """Events not yet over, soonest first."""
    query = (
        select(Event)
        .where(access.visible_events_filter(member), Event.ends_at > (now or utcnow()))
        .order_by(Event.starts_at, Event.id)
    )
    return paginate(query, page, PER_PAGE)


def list_my_upcoming_events(member: Member, limit: int = 3) -> list[Event]:
    """The next events the member said they are going to (not waiting), soonest first."""
    return list(
        db.session.scalars(
            select(Event)
            .join(Rsvp, Rsvp.event_id == Event.id)
            .where(
                Rsvp.member_id == member.id,
                Rsvp.answer == Answer.GOING.value,
                Event.cancelled_at.is_(None),
                Event.ends_at > utcnow(),
                access.visible_events_filter(member),
            )
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
        )
    )


def list_past_events(member: Member, page: int = 1, now: datetime | None = None) -> Page:
    """Events that are over, most recent first."""
    query = (
        select(Event)
        .where(access.visible_events_filter(member), Event.ends_at <= (now or utcnow()))
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    return paginate(query, page, PER_PAGE)


def _check(manager: Member, draft: EventDraft) -> tuple[Tier, datetime, datetime]:
    if not access.can_manage_events(manager):
        raise PermissionDenied("Only owners and editors manage events.")
    if not draft.title.strip() or len(draft.title) > MAX_TITLE:
        raise DomainError(f"Give the event a title (up to {MAX_TITLE} characters).", "title")
    if len(draft.description) > MAX_DESCRIPTION:
        raise DomainError("The description is too long.", field="description")
    # Only names from the IANA list: ZoneInfo() itself opens files, so "Europe" (a folder)
    # or 10 KB of text would be an OSError rather than "no such zone".
    if draft.timezone not in _known_zones():
        raise DomainError("Choose a time zone from the list.", field="timezone")
    starts_at = to_utc(draft.starts_local, draft.timezone, "starts_at")
    ends_at = to_utc(draft.ends_local, draft.timezone, "ends_at")
    if ends_at <= starts_at:
        raise DomainError("The event must end after it starts.", field="ends_at")
    if draft.online:
        parts = urlsplit(draft.link.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise DomainError("Online events need an http(s) link to join.", field="link")
    elif not draft.location.strip():
        raise DomainError("Say where the event takes place.", field="location")
    if draft.capacity is not None and not 0 < draft.capacity <= MAX_CAPACITY:
        raise DomainError("Capacity is a positive number of places (or empty).", "capacity")
    tier = db.session.scalars(select(Tier).where(Tier.slug == draft.min_tier)).first()
    if tier is None:
        raise DomainError("Choose a tier.", field="min_tier")
    if not access.can_plan_for_tier(manager, tier):
        # An editor could not see the event they made; only owners plan above their tier.
        raise DomainError("Choose a tier you belong to.", field="min_tier")
    return tier, starts_at, ends_at


def _apply(
    event: Event, draft: EventDraft, tier: Tier, starts_at: datetime, ends_at: datetime
) -> None:
    event.title = draft.title.strip()
    event.description = draft.description
    event.description_html = render_markdown(draft.description)
    event.starts_at, event.ends_at, event.timezone = starts_at, ends_at, draft.timezone
    event.online = draft.online
    event.link = draft.link.strip() if draft.online else ""
    event.location = "" if draft.online else draft.location.strip()
    event.capacity = draft.capacity
    event.min_tier = tier
    event.updated_at = utcnow()


def create_event(manager: Member, draft: EventDraft) -> Event:
    """Plan an event (owners and editors)."""
    tier, starts_at, ends_at = _check(manager, draft)
    event = Event(created_by_id=manager.id)
    _apply(event, draft, tier, starts_at, ends_at)
    db.session.add(event)
    db.session.flush()
    publish(EventChanged(event_id=event.id))
    commit()
    return event


def update_event(manager: Member, event_id: int, draft: EventDraft) -> Event:
    """Change an event; places that a larger capacity opens go to the waiting list in order."""
    tier, starts_at, ends_at = _check(manager, draft)
    event = lock_event(event_id)
    visible = event is not None and access.can_see_event(manager, event)
    cancelled = visible and event is not None and event.is_cancelled
    if not visible or cancelled:
        db.session.rollback()  # let go of the lock at once
        if cancelled:
            raise DomainError("This event was cancelled; it can no longer be changed.")
        raise NotFound("There is no such event.")
    assert event is not None
    if starts_at != event.starts_at:
        event.reminder_sent_at = None  # a moved event is reminded again for its new date
    _apply(event, draft, tier, starts_at, ends_at)
    event.sequence += 1  # calendars holding the event take the new version over their copy
    promote_waiting(event)
    publish(EventChanged(event_id=event.id))
    commit()
    return event


def cancel_event(manager: Member, event_id: int) -> Event:
    """Call an event off: it stays listed as cancelled and takes no more answers."""
    if not access.can_manage_events(manager):
        raise PermissionDenied("Only owners and editors manage events.")
    event = get_visible_event(manager, event_id)
    if event.is_cancelled:
        raise DomainError("This event is already cancelled.")
    event.cancelled_at = event.updated_at = utcnow()
    event.sequence += 1
    publish(EventChanged(event_id=event.id))
    commit()
    return event
