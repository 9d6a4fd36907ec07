"""One row per recorded action; the figures are counted from these rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from community.core.models import CreatedAtMixin
from community.extensions import Model


class MetricEvent(CreatedAtMixin, Model):
    __tablename__ = "metric_event"
    __table_args__ = (
        Index("ix_metric_event_object", "object_type", "object_id", "action"),
        # "Unique per member per day" is a lookup on this index before the insert.
        Index(
            "ix_metric_event_member_day", "member_id", "action", "object_type", "object_id", "day"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )
    action: Mapped[str] = mapped_column(String(30))  # "view", "download", "complete", "rsvp", ...
    object_type: Mapped[str] = mapped_column(String(30))  # "resource", "event", "thread", ...
    object_id: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)  # the UTC day, for per-day uniqueness and charts
    # What the action was about beyond one object: a search's words and its number of results.
    detail: Mapped[str] = mapped_column(String(200), default="", server_default="")
    quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
