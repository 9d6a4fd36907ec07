"""Times as people read them: one place turns a UTC instant into text and ``<time>`` markup.

Templates use the ``|when`` filter (HTML) and ``|when_text`` (plain text, for e-mails and
notification lines). Every text names its zone. Times are shown in the viewer's zone
(``viewer_zone``); a time given an explicit zone (an event in its own zone, the editorial
calendar in UTC) stays in that zone. A member who chose a zone reads times in it; for anyone
else ``static/js/times.js`` rewrites the viewer-zone times into the browser's zone, so those
``<time>`` elements carry their style in ``data-when``.

The core knows no members: the members domain tells it the viewer's chosen zone through
``set_zone_lookup``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, has_app_context
from markupsafe import Markup

from community.core.clock import as_utc, utcnow

UTC_ZONE = ZoneInfo("UTC")

# The named styles, and the plain-text ones used in e-mails.
HTML_STYLES = ("datetime", "date", "time", "relative", "weekday")
TEXT_STYLES = (*HTML_STYLES, "long_date", "long_datetime")
JUST_NOW = timedelta(minutes=1)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
ZONE_LOOKUP = "timefmt.zone_lookup"


def init_app(app: Flask) -> None:
    app.add_template_filter(when)
    app.add_template_filter(when_text)
    app.add_template_global(when_span)


def set_zone_lookup(app: Flask, lookup: Callable[[], str | None]) -> None:
    """Name the function that gives the current viewer's chosen zone (an IANA name), or None
    when they chose none."""
    app.extensions[ZONE_LOOKUP] = lookup


@contextmanager
def no_viewer_zone() -> Iterator[None]:
    """Render without the viewer's zone: an email written during one member's request goes to
    someone else, so it names the recipient's zone itself (or shows UTC)."""
    saved = g.get("no_viewer_zone", False)
    g.no_viewer_zone = True
    try:
        yield
    finally:
        g.no_viewer_zone = saved


def chosen_zone() -> str | None:
    """The zone the current viewer chose, if any (outside a request or app, or while an
    email is rendered: None)."""
    if not has_app_context() or g.get("no_viewer_zone", False):
        return None
    lookup = current_app.extensions.get(ZONE_LOOKUP)
    return lookup() if lookup is not None else None


def viewer_zone() -> tzinfo:
    """The zone the current viewer reads times in: the one they chose, else UTC, which the
    browser script then turns into the browser's zone."""
    name = chosen_zone()
    return ZoneInfo(name) if name else UTC_ZONE


def _zone(name: str | tzinfo | None) -> tzinfo:
    if name is None:
        return viewer_zone()
    return ZoneInfo(name) if isinstance(name, str) else name


def _day_month(local: datetime | date) -> str:
    return f"{local.day} {local:%b}"


def when_text(
    value: datetime | date | None,
    style: str = "datetime",
    zone: str | tzinfo | None = None,
    now: datetime | None = None,
) -> str:
    """``value`` as text in one of ``TEXT_STYLES``. A naive datetime (as SQLite returns them)
    is UTC; a ``date`` has no zone and is shown as it is. ``None`` is an empty string."""
    if value is None:
        return ""
    if style not in TEXT_STYLES:
        raise ValueError(f"unknown time style {style!r}; use one of {TEXT_STYLES}")
    if not isinstance(value, datetime):
        return _date_text(value, style)
    local = as_utc(value).astimezone(_zone(zone))
    if style == "relative":
        return _relative(local, as_utc(now or utcnow()).astimezone(local.tzinfo))
    zone_name = local.tzname()
    if style in ("date", "long_date", "weekday"):
        return _date_text(local, style)
    if style == "time":
        return f"{local:%H:%M} {zone_name}"
    if style == "long_datetime":
        return f"{local.day} {local:%B %Y %H:%M} {zone_name}"
    return f"{_day_month(local)} {local:%Y %H:%M} {zone_name}"


def _date_text(value: datetime | date, style: str) -> str:
    if style == "weekday":
        return f"{value:%a} {_day_month(value)}"
    if style == "long_date":
        return f"{value.day} {value:%B %Y}"
    return f"{_day_month(value)} {value:%Y}"


def _relative(local: datetime, now: datetime) -> str:
    """ "just now", "5 min ago", "2 h ago", "yesterday", "3 Mar", "3 Mar 2025"; a time more
    than a minute ahead is shown in full, since "ago" would be false."""
    age = now - local
    if age < -JUST_NOW:
        return when_text(local, "datetime", zone=local.tzinfo)
    if age < JUST_NOW:
        return "just now"
    if age < HOUR:
        return f"{age // timedelta(minutes=1)} min ago"
    if age < DAY:
        return f"{age // HOUR} h ago"
    if local.date() == now.date() - DAY:
        return "yesterday"
    if local.year == now.year:
        return _day_month(local)
    return f"{_day_month(local)} {local.year}"


def when(
    value: datetime | date | None,
    style: str = "datetime",
    zone: str | tzinfo | None = None,
    now: datetime | None = None,
) -> Markup:
    """``value`` as ``<time datetime="ISO-8601 UTC">text</time>``. A time in the viewer's zone
    says its style in ``data-when`` so the browser may show it in its own zone, unless the
    viewer chose a zone (the browser must not override that choice); a relative time carries
    the absolute one in its ``title``."""
    if value is None:
        return Markup("")
    if style not in HTML_STYLES:
        raise ValueError(f"unknown time style {style!r}; use one of {HTML_STYLES}")
    # The viewer's zone is looked up once here, not by each text below: a thread page shows
    # a time per post, and each lookup goes through the signed-in member's proxy.
    chosen = chosen_zone() if zone is None else None
    shown_zone = zone if zone is not None else (ZoneInfo(chosen) if chosen else UTC_ZONE)
    text = when_text(value, style, shown_zone, now)
    if not isinstance(value, datetime):
        return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), text)
    markup = Markup('<time datetime="{}"').format(_iso(value))
    if zone is None and chosen is None:
        markup += Markup(' data-when="{}"').format(style)
    if style == "relative":
        markup += Markup(' title="{}"').format(when_text(value, "datetime", shown_zone))
    return markup + Markup(">{}</time>").format(text)


def _iso(value: datetime) -> str:
    return f"{as_utc(value):%Y-%m-%dT%H:%M:%SZ}"


def when_span(start: datetime, end: datetime, zone: str) -> Markup:
    """An event's start and end in its own zone: "Sat 13 Mar 2027, 10:00 to 11:00 EST", with the
    end's date repeated only when it is another day, and the start's zone named too when the
    clocks change in between (10:00 EST to 07:00 EDT)."""
    local_start = as_utc(start).astimezone(ZoneInfo(zone))
    local_end = as_utc(end).astimezone(ZoneInfo(zone))
    start_text = f"{_date_text(local_start, 'weekday')} {local_start:%Y, %H:%M}"
    if local_start.tzname() != local_end.tzname():  # the clocks change during the event
        start_text += f" {local_start.tzname()}"
    end_text = f"{local_end:%H:%M} {local_end.tzname()}"
    if local_end.date() != local_start.date():
        end_text = f"{_date_text(local_end, 'weekday')} {local_end:%Y, %H:%M} {local_end.tzname()}"
    return Markup('<time datetime="{}">{}</time>\N{EN DASH}{}').format(
        _iso(start), start_text, end_text
    )
