"""Parameters from the outside world, checked before they reach a query.

Every table's id is a 32-bit integer on PostgreSQL, and SQLite refuses integers past 64 bits
with an OverflowError: an id outside 1..2**31-1 can name nothing, so it is turned away here
(a 404 in a path; in a query string or a form, it names nothing) instead of as a 500 from the
database driver.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import abort, request
from werkzeug.routing import IntegerConverter, Map, ValidationError

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a positive 32-bit id, or the rule does not match (404)."""

    def __init__(self, map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]

    def to_python(self, value: str) -> int:
        if len(value) > len(str(MAX_ID)):  # before int(): 10 KB of digits is not an id
            raise ValidationError()
        return super().to_python(value)


def parse_id(value: str | None) -> int | None:
    """An id typed or sent by a client, or None when it cannot name a row."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def parse_ids(values: Iterable[str]) -> list[int]:
    """The ids among ``values``, in order, leaving out anything that cannot name a row."""
    return [number for number in map(parse_id, values) if number is not None]


def form_id(name: str) -> int | None:
    return parse_id(request.form.get(name))


def refuse_nul_characters() -> None:
    """400 for a NUL character anywhere in the path, query string or form: PostgreSQL text
    cannot hold one, so it would otherwise fail deep in a query as a 500 (SQLite would store
    it). No browser sends one from what a person types; uploaded files are not looked at."""
    texts = [value for value in (request.view_args or {}).values() if isinstance(value, str)]
    for pairs in (request.args.items(multi=True), request.form.items(multi=True)):
        texts.extend(text for pair in pairs for text in pair)
    if any("\x00" in text for text in texts):
        abort(400, description="The request holds a NUL character, which text cannot contain.")
