"""The one clock: timezone-aware UTC everywhere, and wall-clock times turned into UTC."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from community.core.errors import DomainError

# The years a wall-clock time may fall in: at the ends of the calendar, a zone's offset or a
# reminder a day before overflows.
MIN_YEAR, MAX_YEAR = 2, 9998


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime (as SQLite returns them) as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_utc(local: datetime, zone_name: str, field: str) -> datetime:
    """A wall-clock time in ``zone_name`` as a UTC instant. A time the clocks skip (spring
    forward) is refused rather than silently moved by an hour. ``field`` names the form field
    the ``DomainError`` belongs to."""
    if not MIN_YEAR <= local.year <= MAX_YEAR:
        # Year 1 in Tokyo is year 0 in UTC, and a reminder a day before needs a day to spare:
        # at the ends of the calendar either one is an OverflowError.
        raise DomainError(f"Choose a date between the years {MIN_YEAR} and {MAX_YEAR}.", field)
    zone = ZoneInfo(zone_name)
    aware = local.replace(tzinfo=zone)
    instant = aware.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise DomainError(
            f"{local.day} {local:%b %Y %H:%M} does not exist in {zone_name}: "
            "the clocks change then.",
            field=field,
        )
    return instant
