"""Stored notifications (the truth the live channel and emails are built from) and choices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    cast,
    func,
    literal,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.clock import utcnow
from community.core.models import CreatedAtMixin, UTCDateTime
from community.events.models import Event
from community.extensions import Model
from community.forum.models import Post, Thread
from community.library.models import Resource
from community.members.models import Member
from community.messages.models import Conversation


class Notification(CreatedAtMixin, Model):
    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_member_unread", "member_id", "read_at", "updated_at"),
        Index("ix_notification_member_group", "member_id", "group_key"),
        # Who has unread rows about an object whose visibility just changed (their badges go
        # stale): small partial indexes, as only unread rows about that kind of object count.
        *(
            Index(
                f"ix_notification_unread_{column}",
                column,
                sqlite_where=text(f"read_at IS NULL AND {column} IS NOT NULL"),
                postgresql_where=text(f"read_at IS NULL AND {column} IS NOT NULL"),
            )
            for column in ("thread_id", "post_id", "event_id", "resource_id", "conversation_id")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(300))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )
    # The object the notification is about; access is checked against it when it is delivered
    # and again when it is listed, so a thread that moved out of reach stops showing.
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), nullable=True
    )
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), nullable=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), nullable=True
    )
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), nullable=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), nullable=True
    )
    # Repeats of the same unread thing ("reactions to post 12") fold into one row with a count.
    group_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    actor: Mapped[Member | None] = relationship(foreign_keys=[actor_id])
    thread: Mapped[Thread | None] = relationship()
    post: Mapped[Post | None] = relationship()
    event: Mapped[Event | None] = relationship()
    resource: Mapped[Resource | None] = relationship()
    conversation: Mapped[Conversation | None] = relationship()

    @hybrid_property
    def subject_key(self) -> str:
        """The group the list shows this row in: its thread, else its conversation, event or
        resource, else the row alone ("thread:12", "note:40"). The SQL below says the same."""
        for prefix, object_id in _subject_columns(self):
            if object_id is not None:
                return f"{prefix}:{object_id}"
        return f"note:{self.id}"

    @subject_key.inplace.expression
    @classmethod
    def _subject_key_expression(cls) -> Any:
        return func.coalesce(
            *(
                literal(f"{prefix}:") + cast(column, String)
                for prefix, column in _subject_columns(cls)
            ),
            literal("note:") + cast(cls.id, String),
        )

    def as_payload(self) -> dict:
        """What the browser receives over the socket and from the catch-up endpoint."""
        return {
            "id": self.id,
            "group": self.subject_key,
            "kind": self.kind,
            "text": self.text,
            "url": self.url,
            "count": self.count,
            "read": self.read_at is not None,
            "created_at": self.updated_at.isoformat(),
        }


def _subject_columns(row: Any) -> tuple[tuple[str, Any], ...]:
    """What a notification (or its class, for SQL) groups by, strongest first."""
    return (
        ("thread", row.thread_id),
        ("conversation", row.conversation_id),
        ("event", row.event_id),
        ("resource", row.resource_id),
    )


class NotificationActor(Model):
    """Each member whose action a row tells of: a fold adds its actor, so the list can say
    "Ada Byron and 3 others" counting people rather than events."""

    __tablename__ = "notification_actor"

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class UnreadBadge(Model):
    """A member's unread count, kept on write so a delivery or a page pays O(1) for it.

    ``unread`` is the sum of ``count`` over the member's unread rows they may still open; NULL
    (or no row) means stale: something changed who may open what, and the next read counts
    again. ``version`` moves with every write, so a recount stores its result only if nothing
    was delivered or read while it counted."""

    __tablename__ = "unread_badge"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    unread: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class NotificationSetting(Model):
    """A member's channel for one kind; kinds without a row use their default."""

    __tablename__ = "notification_setting"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))


class DigestRun(CreatedAtMixin, Model):
    """One digest per member per period: the unique key makes a second run a no-op."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("member_id", "period", "period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    period_key: Mapped[str] = mapped_column(String(12))  # "2026-11-23" or "2026-W48"
    item_count: Mapped[int] = mapped_column(Integer, default=0)
