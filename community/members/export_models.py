"""A member's data exports: one row per export asked for, its zip under instance/exports/."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from community.core.clock import utcnow
from community.core.models import CreatedAtMixin, UTCDateTime
from community.extensions import Model


class ExportState(StrEnum):
    QUEUED = "queued"
    READY = "ready"
    EXPIRED = "expired"


class DataExport(CreatedAtMixin, Model):
    """The zip is named by ``key``, a random id that is also in the download link; the link
    works only for the member the row names (``access.can_download_export``), so a forwarded
    or leaked link opens nothing for anyone else."""

    __tablename__ = "data_export"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def state(self) -> ExportState:
        if self.ready_at is None:
            return ExportState.QUEUED
        if self.expires_at is not None and self.expires_at <= utcnow():
            return ExportState.EXPIRED
        return ExportState.READY
