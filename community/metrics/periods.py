"""The period a report covers, read from ``?period=7|30|90|custom&start=&end=`` or ``30d``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from community.core.clock import utcnow
from community.core.errors import DomainError

PRESETS = (7, 30, 90)
DEFAULT_DAYS = 30
LONGEST_DAYS = 366


@dataclass(frozen=True)
class Period:
    """Whole UTC days, ``start`` to ``end`` inclusive."""

    start: date
    end: date
    preset: str  # "7", "30", "90" or "custom"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Period:
        """The period of the same length just before this one, for comparison."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, self.preset)

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    def query(self) -> dict[str, str]:
        """The URL parameters that name this period (for links and the CSV downloads)."""
        if self.preset == "custom":
            return {
                "period": "custom",
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
            }
        return {"period": self.preset}


def last_days(days: int, today: date | None = None) -> Period:
    end = today or utcnow().date()
    return Period(end - timedelta(days=days - 1), end, str(days))


def parse_period(preset: str, start: str = "", end: str = "") -> Period:
    """A period from the selector's values; DomainError saying what is wrong otherwise."""
    preset = (preset or str(DEFAULT_DAYS)).strip().lower().removesuffix("d")
    if preset != "custom":
        if not preset.isdigit() or int(preset) not in PRESETS:
            raise DomainError("Choose a period of 7, 30 or 90 days, or custom dates.")
        return last_days(int(preset))
    try:
        first, last = date.fromisoformat(start.strip()), date.fromisoformat(end.strip())
    except ValueError:
        raise DomainError("Give custom dates as YYYY-MM-DD.") from None
    if last < first:
        raise DomainError("The end date is before the start date.")
    if (last - first).days + 1 > LONGEST_DAYS:
        raise DomainError(f"A custom period can be at most {LONGEST_DAYS} days long.")
    if last > utcnow().date():
        raise DomainError("The end date is in the future.")
    return Period(first, last, "custom")
