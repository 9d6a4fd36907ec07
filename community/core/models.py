"""Column types and mixins shared by every domain's models."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, DateTime, Executable, TypeDecorator
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from community.core.clock import as_utc, utcnow
from community.extensions import db


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, on SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use community.core.clock.utcnow()")
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


def rows_changed(statement: Executable) -> int:
    """Run an UPDATE or DELETE in the current session; how many rows it changed (a claim that
    changed none lost the race)."""
    result = cast(CursorResult[Any], db.session.execute(statement))
    return result.rowcount or 0


def upsert(model: type[Any]) -> Any:
    """An INSERT for ``model`` that takes ``on_conflict_do_update``/``do_nothing``: the same
    statement on SQLite and PostgreSQL, built by the dialect in use."""
    if db.engine.dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
