"""A period against its own history: the same period and the few of the same length before
it, as buckets that one aggregate query can group by (a CASE over the date), so that
"compared with its usual" costs one query, not one per past period."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case

from community.metrics.periods import Period
from community.metrics.report_types import day_bounds

# How many earlier periods make "its own history".
HISTORY_PERIODS = 4


def periods_back(period: Period) -> list[Period]:
    """The period (bucket 0) then the ``HISTORY_PERIODS`` before it (1, 2, ...)."""
    result = [period]
    for _ in range(HISTORY_PERIODS):
        result.append(result[-1].previous)
    return result


def day_bucket(column: Any, period: Period) -> ColumnElement[int]:
    """0 for a day in the period, 1 for the period before, ...; NULL outside them all."""
    whens = [(column.between(p.start, p.end), n) for n, p in enumerate(periods_back(period))]
    return case(*whens, else_=None)


def time_bucket(column: Any, period: Period) -> ColumnElement[int]:
    """``day_bucket`` for a UTC datetime column (``created_at``)."""
    whens = []
    for n, p in enumerate(periods_back(period)):
        start, end = day_bounds(p)
        whens.append(((column >= start) & (column < end), n))
    return case(*whens, else_=None)


def history_start(period: Period) -> date:
    return periods_back(period)[-1].start


def z_score(now: float, history: Sequence[float]) -> float:
    """How far ``now`` stands from the history's mean, in its standard deviations (at least
    1, so that a flat history does not turn one extra post into a huge score)."""
    mean = statistics.fmean(history) if history else 0.0
    spread = _population_deviation(history, mean) if len(history) > 1 else 0.0
    return (now - mean) / max(spread, 1.0)


def _population_deviation(values: Sequence[float], mean: float) -> float:
    """``statistics.pstdev`` in floats: pstdev works in exact fractions, which made scoring
    a thousand threads cost more than reading them. For the counts scored here (whole
    numbers over four periods, so every mean and square is a multiple of 1/16) the float
    sums are exact and the result is the same number."""
    return math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values))


def against_usual(now: float, history: Sequence[float]) -> float | None:
    """0 to 100 where 50 is the history's mean, 100 twice it or more, 0 nothing at all;
    None when there is no history and nothing now."""
    mean = statistics.fmean(history) if history else 0.0
    if mean == 0:
        return None if now == 0 else 100.0
    return round(50 * min(now / mean, 2.0), 1)
