"""Private conversations between members, introduction requests, and reports to moderators."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.clock import utcnow
from community.core.models import CreatedAtMixin, UTCDateTime
from community.extensions import Model
from community.members.models import Member


class Conversation(CreatedAtMixin, Model):
    """A private conversation. Who may open it is its participants (those who have not left),
    and moderators while a report on it is open."""

    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    starter_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True, index=True
    )
    subject: Mapped[str] = mapped_column(String(200), default="")
    # Kept with the conversation so that the list and the unread badge never count messages.
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    starter: Mapped[Member | None] = relationship()
    participants: Mapped[list[ConversationMember]] = relationship(
        back_populates="conversation", order_by="ConversationMember.joined_at"
    )


class ConversationMember(Model):
    """One member's place in a conversation: read position, mute, and whether they left."""

    __tablename__ = "conversation_member"
    __table_args__ = (Index("ix_conversation_member_member_left", "member_id", "left_at"),)

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    muted: Mapped[bool] = mapped_column(Boolean, default=False)
    last_read_number: Mapped[int] = mapped_column(Integer, default=0)

    conversation: Mapped[Conversation] = relationship(back_populates="participants")
    member: Mapped[Member] = relationship()

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class Message(CreatedAtMixin, Model):
    __tablename__ = "message"
    __table_args__ = (UniqueConstraint("conversation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True, index=True
    )
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the conversation
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)

    conversation: Mapped[Conversation] = relationship()
    author: Mapped[Member | None] = relationship()


class IntroductionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class IntroductionRequest(CreatedAtMixin, Model):
    """A member who may not message another asks to be introduced with a short note. A decline
    is quiet: the sender's pages show a declined request exactly as a pending one."""

    __tablename__ = "introduction_request"
    __table_args__ = (
        # One open request per sender and recipient, even when two submissions race.
        Index(
            "uq_introduction_request_pending_pair",
            "sender_id",
            "recipient_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_introduction_request_sender_created", "sender_id", "created_at"),
        Index("ix_introduction_request_recipient_status", "recipient_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default=IntroductionStatus.PENDING.value)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="SET NULL"), nullable=True
    )

    sender: Mapped[Member] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[Member] = relationship(foreign_keys=[recipient_id])
    conversation: Mapped[Conversation | None] = relationship()


class ConversationReport(CreatedAtMixin, Model):
    """A participant asks the moderators to look at a conversation; while it is open, they may."""

    __tablename__ = "conversation_report"
    __table_args__ = (
        Index(
            "uq_conversation_report_open_reporter",
            "conversation_id",
            "reporter_id",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )
    reason: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    conversation: Mapped[Conversation] = relationship()
    reporter: Mapped[Member | None] = relationship(foreign_keys=[reporter_id])
