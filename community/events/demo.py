"""Demo events across the month: two past ones, and three upcoming ones over the tiers, one
online, one in person and full with a waiting list. Dates are fixed days from today at fixed
local hours, so every seed looks the same."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from community.core.clock import utcnow
from community.events import rsvps
from community.events.services import EventDraft, create_event
from community.members.models import Member

# (days ahead, local start, hours, zone, title, tier, online, place or link, capacity, answers)
DEMO_EVENTS = [
    (
        -18,
        time(15, 0),
        1,
        "Europe/Berlin",
        "Chapter call: the Digital Services Act a year on",
        "strategist",
        True,
        "https://meet.council.example/dsa-year-one",
        None,
        [],
    ),
    (
        -5,
        time(12, 0),
        2,
        "Asia/Singapore",
        "Lunch briefing: AI in social customer care",
        "executive",
        False,
        "Fourth Coffee, Marina Bay, Singapore",
        16,
        [],
    ),
    (
        6,
        time(16, 0),
        1,
        "Europe/London",
        "Measuring social ROI: a peer roundtable",
        "strategist",
        True,
        "https://meet.council.example/roi-roundtable",
        None,
        [("director@council.example", "going"), ("vp@council.example", "maybe")],
    ),
    (
        13,
        time(9, 30),
        3,
        "America/New_York",
        "Crisis communications workshop",
        "executive",
        False,
        "Contoso HQ, 5th Avenue, New York",
        40,
        [("vp@council.example", "going")],
    ),
    (
        20,
        time(19, 0),
        3,
        "Europe/Paris",
        "CxO dinner: the board and social",
        "council",
        False,
        "Le Cercle, Rue de Rivoli, Paris",
        2,
        [
            ("moderator@council.example", "going"),
            ("ceo@council.example", "going"),
            ("owner@council.example", "going"),  # full: waits
        ],
    ),
]
DESCRIPTION = (
    "An hour among peers, under the council's rule: **education, not sales**.\n\n"
    "- bring one question you are stuck on\n- leave with two ideas to try"
)


def seed_events(members: list[Member], echo: Callable[[str], None]) -> None:
    by_email = {member.email: member for member in members}
    owner = next(member for member in members if member.role == "owner")
    today = utcnow().date()
    for days, start, hours, zone, title, tier, online, where, capacity, answers in DEMO_EVENTS:
        local_start = datetime.combine(today + timedelta(days=days), start, ZoneInfo(zone))
        event = create_event(
            owner,
            EventDraft(
                title=title,
                description=DESCRIPTION,
                starts_local=local_start.replace(tzinfo=None),
                ends_local=(local_start + timedelta(hours=hours)).replace(tzinfo=None),
                timezone=zone,
                online=online,
                location="" if online else where,
                link=where if online else "",
                capacity=capacity,
                min_tier=tier,
            ),
        )
        for email, answer in answers:
            rsvps.respond(by_email[email], event.id, answer)
    echo(f"Seeded {len(DEMO_EVENTS)} events (2 past), one full with a waiting list.")
