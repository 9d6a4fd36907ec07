"""One counter for every factory, so names and emails never collide within a run."""

from __future__ import annotations

import itertools

_numbers = itertools.count(1)


def next_number() -> int:
    return next(_numbers)
