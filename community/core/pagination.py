"""Pages of query results: two queries (count and items) whatever the size of the table; or,
for a list whose count would grow with it, one query and no total (``paginate_open``)."""

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


@dataclass(frozen=True)
class OpenPage(Generic[T]):
    """One page of a list that is not counted: it knows only whether another page follows
    (Discourse's topic lists load "more" the same way)."""

    items: list[T]
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


# No list is this many pages long: a larger number (a hand-edited address) is past the end
# anyway, and its offset must still fit the database's integer.
MAX_OPEN_PAGE = 1_000_000


def paginate_open(query: Select[Any], page: int = 1, per_page: int = 50) -> OpenPage[Any]:
    """One page of ``query`` from one query of a page and a row: the extra row says whether a
    next page exists, so the cost is the page's whatever the length of the list. A page past
    the end (a link kept from when the list was longer) gives the last page: that rare
    address alone pays for counting."""
    number = min(max(1, page), MAX_OPEN_PAGE)
    rows = list(db.session.scalars(query.offset((number - 1) * per_page).limit(per_page + 1)))
    if not rows and number > 1:
        last = paginate(query, number, per_page)
        return OpenPage(last.items, last.number, per_page, has_next=False)
    return OpenPage(rows[:per_page], number, per_page, has_next=len(rows) > per_page)
