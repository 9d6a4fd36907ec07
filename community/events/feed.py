"""A member's personal calendar feed: a secret URL their calendar app polls.

The secret is random and only its SHA-256 is stored (one per member), so it is shown once,
when made; "Reset the link" replaces it and the old URL answers 404 from then on, the same
answer as a URL that never existed. The feed lists the events the member said they are going
to, asked afresh on every poll: an event their tier no longer reaches drops out at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from community import access
from community.core.clock import utcnow
from community.core.errors import NotFound
from community.core.events import commit
from community.core.security import hash_token, new_token
from community.events.models import Answer, CalendarFeed, Event, Rsvp
from community.extensions import db
from community.members.models import Member, MemberStatus

# Past events stay in the feed this long, so a calendar does not drop last week's meeting.
KEEP_PAST = timedelta(days=90)
# Tokens are 43 URL-safe characters; anything much longer is not worth hashing.
MAX_TOKEN_LENGTH = 100


def has_feed(member: Member) -> bool:
    return db.session.get(CalendarFeed, member.id) is not None


def reset_feed(member: Member) -> str:
    """Make the member's feed secret, replacing any older one; returns it (shown once)."""
    token, token_hash = new_token()
    feed = db.session.get(CalendarFeed, member.id)
    if feed is None:
        db.session.add(CalendarFeed(member_id=member.id, token_hash=token_hash))
    else:
        feed.token_hash, feed.created_at = token_hash, utcnow()
    commit()
    return token


def stop_feed(member: Member) -> None:
    """Turn the feed off: its URL answers 404 until a new one is made."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.member_id == member.id))
    commit()


def get_feed_member(token: str) -> Member:
    """The active member whose feed ``token`` opens; NotFound for anything else (a wrong, old
    or too long token, or a member who left or was revoked), all alike."""
    member = None
    if len(token) <= MAX_TOKEN_LENGTH:
        member = db.session.scalar(
            select(Member)
            .join(CalendarFeed, CalendarFeed.member_id == Member.id)
            .where(CalendarFeed.token_hash == hash_token(token))
        )
    if member is None or member.status != MemberStatus.ACTIVE:
        raise NotFound("There is no such calendar.")
    return member


def list_feed_events(member: Member, now: datetime | None = None) -> list[Event]:
    """The events the member is going to that they may still see, the recent past included;
    cancelled ones stay, so calendars mark them cancelled rather than silently keep them."""
    return list(
        db.session.scalars(
            select(Event)
            .join(Rsvp, Rsvp.event_id == Event.id)
            .where(
                Rsvp.member_id == member.id,
                Rsvp.answer == Answer.GOING,
                access.visible_events_filter(member),
                Event.ends_at > (now or utcnow()) - KEEP_PAST,
            )
            .order_by(Event.starts_at, Event.id)
        )
    )
