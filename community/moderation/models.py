"""Flags that members raise on posts, and what moderators decided about them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import CreatedAtMixin, UTCDateTime
from community.extensions import Model

if TYPE_CHECKING:
    from community.forum.models import Post, Thread
    from community.members.models import Member


class FlagReason(StrEnum):
    SPAM = "spam"
    SALES_PITCH = "sales_pitch"
    OFF_TOPIC = "off_topic"
    ABUSIVE = "abusive"
    OTHER = "other"

    @property
    def label(self) -> str:
        return FLAG_LABELS[self]


FLAG_LABELS = {
    FlagReason.SPAM: "Spam",
    FlagReason.SALES_PITCH: "Sales pitch",
    FlagReason.OFF_TOPIC: "Off-topic",
    FlagReason.ABUSIVE: "Abusive or disrespectful",
    FlagReason.OTHER: "Something else",
}


class Flag(CreatedAtMixin, Model):
    """A member's flag on a post, or on a whole thread: exactly one of the two is set."""

    __tablename__ = "flag"
    __table_args__ = (
        # One open flag per member per post (or thread), even when two requests race.
        Index(
            "uq_flag_open_post_flagger",
            "post_id",
            "flagger_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
        Index(
            "uq_flag_open_thread_flagger",
            "thread_id",
            "flagger_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
        CheckConstraint("(post_id IS NULL) <> (thread_id IS NULL)", name="post_or_thread"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), nullable=True, index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), nullable=True, index=True
    )
    flagger_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    resolution: Mapped[str] = mapped_column(String(20), default="")

    post: Mapped[Post | None] = relationship()
    thread: Mapped[Thread | None] = relationship()
    flagger: Mapped[Member] = relationship(foreign_keys=[flagger_id])
