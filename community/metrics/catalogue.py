"""Every report by its URL name, and the CSV that the page, the download and the command
share (so the three always agree)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from community.core.errors import NotFound
from community.metrics import (
    assignments,
    cohorts,
    funnel,
    influence,
    invites,
    library,
    reports,
    room,
    trending,
)
from community.metrics.periods import Period
from community.metrics.report_types import Report

REPORTS: dict[str, Callable[[Period], Report]] = {
    "active": reports.active_members,
    "funnel": funnel.membership_funnel,
    "invite-quality": invites.invite_quality,
    "participation": reports.participation,
    "responsiveness": funnel.responsiveness,
    "assigned": assignments.assigned_threads,
    "content": reports.content,
    "searches": reports.searches,
    "search-misses": reports.search_misses,
    "library": library.library,
    "library-kinds": library.library_kinds,
    "events": library.events,
    "influence": influence.influence,
    "trending-threads": trending.trending_threads,
    "trending-terms": trending.trending_terms,
    "sentiment": trending.sentiment,
    "retention": cohorts.retention,
    "health": cohorts.health,
    "room": room.who_is_in_the_room,
    "cross-company": room.cross_company,
}


def build_report(key: str, period: Period) -> Report:
    if key not in REPORTS:
        raise NotFound("There is no such report.")
    return REPORTS[key](period)


def build_all(period: Period) -> list[Report]:
    return [build(period) for build in REPORTS.values()]


def _cell(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (queries are members' words)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(report.columns)
    writer.writerows([_cell(value) for value in row] for row in report.rows)
    return buffer.getvalue()
