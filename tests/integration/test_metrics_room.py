"""Who is in the room and cross-company conversations, with the privacy floor: a breakdown
cell counting fewer than 5 members never shows, on the page or in the CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from community.core.clock import utcnow
from community.core.events import commit
from community.metrics import room
from community.metrics.catalogue import build_report
from community.metrics.periods import Period, last_days
from community.metrics.rollups import rollup_day
from tests import factories
from tests.factories.metrics import add_metric_event

TODAY = utcnow().date()
WEEK = Period(TODAY - timedelta(days=6), TODAY, "custom")


def member_at(company: str, region: str):
    member = factories.make_member(tier_slug="executive")
    member.company, member.region = company, region
    commit()
    return member


def visit(*members) -> None:
    for member in members:
        add_metric_event(member, day=TODAY - timedelta(days=1))
    commit()
    rollup_day(TODAY - timedelta(days=1))


def test_members_by_company_and_region_with_small_groups_suppressed(app, as_member):
    owner, _ = as_member("owner")  # Example Corp, Europe, council tier
    acme = [member_at("Acme", "Asia") for _ in range(6)]
    beta = [member_at("Beta", "Asia") for _ in range(2)]
    visit(*acme[:5], beta[0])
    rows = {(row[0], row[1]): row[2:] for row in build_report("room", WEEK).rows}
    # Acme: 6 members, 5 of whom came: 5/6 = 83.3 %.
    assert rows["company", "Acme"] == [6, 5, 83.3]
    # Beta has 2 members: every cell of the row is suppressed.
    assert rows["company", "Beta"] == ["<5", "<5", "<5"]
    # Asia: 8 members, 6 came (75 %); Europe holds only the owner.
    assert rows["region", "Asia"] == [8, 6, 75.0]
    assert rows["region", "Europe"] == ["<5", "<5", "<5"]
    # Executive tier: the 8; a level label, not its code.
    assert rows["tier", "Executive"] == [8, 6, 75.0]
    assert rows["level", "VP"] == [8, 6, 75.0]

    csv_text = owner.get("/admin/metrics/room.csv?period=7").get_data(as_text=True)
    table = list(csv.reader(io.StringIO(csv_text)))
    assert table[0] == ["breakdown", "group", "members", "active_in_period", "percent_active"]
    assert ["company", "Beta", "<5", "<5", "<5"] in table
    assert ["company", "Acme", "6", "5", "83.3"] in table
    page = owner.get("/admin/metrics?period=7").get_data(as_text=True)
    section = page.split('id="report-room"', 1)[1].split("</section>", 1)[0]
    assert "Beta</td>" in section and section.count("&lt;5") >= 6
    assert ">2<" not in section  # Beta's real size is nowhere on the page


def test_cross_company_conversations_and_small_communities_suppressed(app):
    big = factories.make_community(slug="big", tier="strategist")
    small = factories.make_community(slug="small", tier="strategist")
    acme = [member_at("Acme", "Asia") for _ in range(3)]
    beta = [member_at("Beta", "Asia") for _ in range(2)]
    mixed = factories.start_thread(acme[0], big, "Mixed companies", "Opening words here.")
    for member in (acme[1], beta[0], beta[1]):
        factories.add_posts(mixed, member, 1)
    same = factories.start_thread(acme[1], big, "One company only", "Opening words here.")
    factories.add_posts(same, acme[2], 1)
    factories.start_thread(acme[2], big, "Nobody answered", "Opening words here.")
    pair = factories.start_thread(beta[0], small, "Two people", "Opening words here.")
    factories.add_posts(pair, acme[0], 1)

    report = build_report("cross-company", last_days(7))
    # big: 5 posters; two conversations (the third thread has one poster), one cross-company.
    assert report.rows[0] == ["Big", 2, 1, 5]
    # small: 2 posters, under the floor: nothing about it shows but its name.
    assert report.rows[1] == ["Small", "<5", "<5", "<5"]
    # Three conversations in all, two of them across companies: 66.7 %.
    assert report.figures[0].value == 66.7


def test_past_the_largest_groups_the_others_share_one_row(app, monkeypatch):
    monkeypatch.setattr(room, "TOP_GROUPS", 1)
    for _ in range(6):
        member_at("Acme", "Asia")
    for company in ("Beta", "Gamma", "Delta", "Epsilon", "Zeta"):
        member_at(company, "Asia")
    rows = [row for row in build_report("room", WEEK).rows if row[0] == "company"]
    # Acme alone, then five companies of one member each: five members, none came.
    assert rows == [["company", "Acme", 6, "<5", "<5"], ["company", "5 others", 5, "<5", "<5"]]
