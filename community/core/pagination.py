"""Pages of query results: two queries (count and items) whatever the size of the table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from community.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def paginate(
    query: Select[Any], page: int = 1, per_page: int = 50, total: int | None = None
) -> Page[Any]:
    """One page of ``query``; a page number past the end gives the last page. ``total``, when
    the caller keeps the count already (a thread's stored post count), saves the COUNT query,
    whose cost grows with the rows counted."""
    if total is None:
        total = (
            db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
            or 0
        )
    number = min(max(1, page), page_count(total, per_page))
    items = list(db.session.scalars(query.offset((number - 1) * per_page).limit(per_page)))
    return Page(items, number, per_page, total)
