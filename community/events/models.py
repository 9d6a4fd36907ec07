"""Events and the members' answers to them.

Times are stored as UTC instants; the event's IANA zone name is kept beside them so pages and
calendar files show the time the organisers meant, with the right offset on either side of a
daylight-saving change.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.clock import utcnow
from community.core.models import CreatedAtMixin, UTCDateTime
from community.extensions import Model

if TYPE_CHECKING:
    from community.library.models import Resource
    from community.members.models import Member, Tier


class Answer(StrEnum):
    """What a member said. ``waiting`` is "going" asked for when every place was taken."""

    GOING = "going"
    MAYBE = "maybe"
    NOT_GOING = "not_going"
    WAITING = "waiting"

    @property
    def label(self) -> str:
        return ANSWER_LABELS[self]


ANSWER_LABELS = {
    Answer.GOING: "Going",
    Answer.MAYBE: "Maybe",
    Answer.NOT_GOING: "Not going",
    Answer.WAITING: "On the waiting list",
}


class Event(CreatedAtMixin, Model):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitized once, at save
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name, e.g. "America/New_York"
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    location: Mapped[str] = mapped_column(String(300), default="")  # in person: the place
    link: Mapped[str] = mapped_column(String(500), default="")  # online: where to join
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: no limit
    # Hands out waiting-list numbers in arrival order; only written under the event's lock.
    waitlist_counter: Mapped[int] = mapped_column(Integer, default=0)
    min_tier_id: Mapped[int] = mapped_column(ForeignKey("tier.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # iCalendar's SEQUENCE: one more for each change a calendar should take over (an edit, a
    # cancellation), so subscribed calendars replace their copy rather than keep the old one.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The library's recording of the event, attached once it has taken place.
    recording_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource.id", ondelete="SET NULL"), nullable=True
    )

    min_tier: Mapped[Tier] = relationship(lazy="joined")
    created_by: Mapped[Member | None] = relationship()
    recording: Mapped[Resource | None] = relationship()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now


class Rsvp(Model):
    """One member's answer to one event; changed in place when they change their mind."""

    __tablename__ = "rsvp"
    __table_args__ = (
        UniqueConstraint("event_id", "member_id"),
        Index("ix_rsvp_event_answer", "event_id", "answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(20))
    # Set while waiting: lower numbers were first and move to "going" first.
    waitlist_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member] = relationship()


class CalendarFeed(CreatedAtMixin, Model):
    """A member's personal calendar feed: the SHA-256 of the secret in its URL, one per member.
    Resetting the link replaces the hash, so the old URL stops answering at once."""

    __tablename__ = "calendar_feed"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)

    member: Mapped[Member] = relationship()
