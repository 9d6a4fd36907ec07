"""What every report is made of: headline figures with their definitions, one table (the
CSV is that table), and an optional chart. Also the few statistics they share."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from community.metrics.periods import Period


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | None  # None: nothing to measure in this period
    previous: float | None  # the same figure for the previous period
    definition: str
    unit: str = ""  # "%", " h" ...

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class Report:
    key: str
    title: str
    columns: list[str]
    rows: list[list[object]]
    figures: list[Figure] = field(default_factory=list)
    definition: str = ""  # what the table's rows are
    empty: str = "Nothing happened in this period."
    # {"labels": [...], "series": {"name": [...]}, "kind": "line" | "bar"}
    chart: dict[str, object] | None = None


def day_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as a half-open range of UTC datetimes, for ``created_at`` columns."""
    start = datetime.combine(period.start, time.min, tzinfo=UTC)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=UTC)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value at or above ``share`` of the values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def ratio(part: float, whole: float) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


def hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def rounded(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def iso(day: date) -> str:
    return day.isoformat()


# The privacy floor: a breakdown cell counting fewer members than this is never shown (on the
# page or in the CSV), so no figure can be traced back to one or two people.
PRIVACY_FLOOR = 5
SUPPRESSED = "<5"


def floored(members: int) -> int | str:
    """A count of members, or the suppression mark when it is under the privacy floor."""
    return SUPPRESSED if members < PRIVACY_FLOOR else members


def floored_ratio(part: int, whole: int) -> float | str | None:
    """``ratio`` of two member counts, suppressed when either is under the privacy floor."""
    if part < PRIVACY_FLOOR or whole < PRIVACY_FLOOR:
        return SUPPRESSED
    return ratio(part, whole)
