"""The library: resources with topics and authors, their editorial history, topic follows,
learning paths and completions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.clock import utcnow
from community.core.models import CreatedAtMixin, UTCDateTime
from community.extensions import Model, db

if TYPE_CHECKING:
    from community.forum.models import Thread
    from community.members.models import Member, Tier


class Kind(StrEnum):
    ARTICLE = "article"
    WHITE_PAPER = "white_paper"
    RESEARCH = "research"
    HOW_TO = "how_to"
    VIDEO = "video"
    RECORDING = "recording"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize().replace("How to", "How-to")


class Status(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


resource_topic = Table(
    "resource_topic",
    db.metadata,
    Column("resource_id", ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)

resource_author = Table(
    "resource_author",
    db.metadata,
    Column("resource_id", ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
    Column("member_id", ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Topic(Model):
    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(60))


class Resource(CreatedAtMixin, Model):
    __tablename__ = "resource"
    __table_args__ = (Index("ix_resource_status_published", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")  # rendered and sanitized at save
    external_url: Mapped[str] = mapped_column(String(500), default="")
    # The stored file's generated name under instance/uploads/; never the member's file name.
    attachment_key: Mapped[str] = mapped_column(String(80), default="")
    attachment_name: Mapped[str] = mapped_column(String(200), default="")  # sanitized, shown
    attachment_type: Mapped[str] = mapped_column(String(120), default="")
    attachment_size: Mapped[int] = mapped_column(Integer, default=0)
    min_tier_id: Mapped[int] = mapped_column(ForeignKey("tier.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value)
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )
    # The resource's own discussion, created when it is first published.
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The thread it was promoted from, if any.
    source_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread.id", ondelete="SET NULL"), nullable=True, index=True
    )

    min_tier: Mapped[Tier] = relationship(lazy="joined")
    topics: Mapped[list[Topic]] = relationship(
        secondary=resource_topic, lazy="selectin", order_by=Topic.name
    )
    authors: Mapped[list[Member]] = relationship(secondary=resource_author, lazy="selectin")
    created_by: Mapped[Member | None] = relationship(foreign_keys=[created_by_id])
    thread: Mapped[Thread | None] = relationship(foreign_keys=[thread_id])
    source_thread: Mapped[Thread | None] = relationship(foreign_keys=[source_thread_id])

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class ResourceTransition(CreatedAtMixin, Model):
    """Who moved a resource from one status to another, and when (None: the scheduler)."""

    __tablename__ = "resource_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    actor: Mapped[Member | None] = relationship()


class TopicFollow(CreatedAtMixin, Model):
    __tablename__ = "topic_follow"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class LearningPath(CreatedAtMixin, Model):
    __tablename__ = "learning_path"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )

    steps: Mapped[list[PathStep]] = relationship(
        order_by="PathStep.position", lazy="selectin", cascade="all, delete-orphan"
    )


class PathStep(Model):
    __tablename__ = "path_step"

    path_id: Mapped[int] = mapped_column(
        ForeignKey("learning_path.id", ondelete="CASCADE"), primary_key=True
    )
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    resource: Mapped[Resource] = relationship(lazy="joined")


class Completion(CreatedAtMixin, Model):
    """A member marked a resource as done (once; marking it again changes nothing)."""

    __tablename__ = "resource_completion"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True, index=True
    )
