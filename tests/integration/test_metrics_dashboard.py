"""The owners' dashboard: owners only, the CSV is the page's table, a constant query count,
and the command line writes the same CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.metrics.rollups import rollup_day
from tests import factories
from tests.factories.metrics import add_metric_event
from tests.integration.test_query_counts import count_queries

TODAY = utcnow().date()


def add_activity(members, days: int) -> None:
    for member in members:
        for n in range(days):
            for action, object_type in (("visit", "site"), ("view", "thread"), ("reply", "post")):
                add_metric_event(member, action, object_type, n + 1, TODAY - timedelta(days=n))
        add_metric_event(
            member, "search", "all", day=TODAY, detail=f"=cmd {member.id % 3}", quantity=0
        )
    commit()
    for n in range(days):
        rollup_day(TODAY - timedelta(days=n))


@pytest.mark.parametrize("role", ["moderator", "editor", "member"])
def test_everyone_but_owners_is_told_the_dashboard_does_not_exist(as_member, role):
    client, _ = as_member(role)
    assert client.get("/admin/metrics").status_code == 404
    assert client.get("/admin/metrics/active.csv").status_code == 404


def test_visitors_get_a_404_not_a_sign_in_page_and_owners_get_the_page(client, as_member):
    # A sign-in page would tell a visitor the address exists; a 404 tells them nothing.
    for url in ("/admin/metrics", "/admin/metrics/funnel.csv?period=7", "/admin/metrics/x.csv"):
        response = client.get(url)
        assert response.status_code == 404 and response.location is None
    owner, _ = as_member("owner")
    page = owner.get("/admin/metrics?period=7").get_data(as_text=True)
    assert "Daily active members: members with at least one visit" in page
    assert "No member visited in this period." in page  # the empty state
    assert owner.get("/admin/metrics/nonsense.csv").status_code == 404


def test_a_bad_period_is_a_form_error_not_a_500(as_member):
    owner, _ = as_member("owner")
    response = owner.get("/admin/metrics?period=custom&start=2026-02-30&end=x")
    assert response.status_code == 400
    assert "Give custom dates as YYYY-MM-DD." in response.get_data(as_text=True)
    assert owner.get("/admin/metrics/active.csv?period=12").status_code == 400


def _table_of(page: str, report: str) -> list[list[str]]:
    section = page.split(f'id="report-{report}"', 1)[1].split("</section>", 1)[0]
    body = section.split("<tbody>", 1)[1]
    return [
        [
            cell.replace("&#39;", "'").replace("&amp;", "&")
            for cell in re.findall(r">([^<]*)</td>", row)
        ]
        for row in body.split("</tr>")
        if "<td" in row
    ]


def _header_of(page: str, report: str) -> list[str]:
    section = page.split(f'id="report-{report}"', 1)[1].split("</thead>", 1)[0]
    return [name.replace(" ", "_") for name in re.findall(r'<th scope="col">([^<]*)</th>', section)]


def test_each_csv_holds_the_pages_table(as_member):
    owner, _ = as_member("owner")
    add_activity([factories.make_member() for _ in range(3)], days=3)
    page = owner.get("/admin/metrics?period=7").get_data(as_text=True)
    for report in ("active", "participation", "searches"):
        response = owner.get(f"/admin/metrics/{report}.csv?period=7")
        assert response.mimetype == "text/csv"
        header, *rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert header == _header_of(page, report)
        unguarded = [[cell.removeprefix("'") for cell in row] for row in rows]
        assert unguarded == _table_of(page, report), report
        assert rows
    searches = owner.get("/admin/metrics/searches.csv?period=7").get_data(as_text=True)
    assert "'=cmd" in searches  # a spreadsheet shows members' words, never runs them


def test_the_dashboards_query_count_does_not_grow_with_activity(as_member):
    owner, _ = as_member("owner")
    add_activity([factories.make_member()], days=2)

    def queries() -> int:
        db.session.remove()
        with count_queries() as statements:
            assert owner.get("/admin/metrics?period=30").status_code == 200
        return len(statements)

    small = queries()
    add_activity([factories.make_member() for _ in range(6)], days=20)
    assert queries() == small


def test_the_export_command_writes_the_downloads_csv(app, as_member):
    owner, _ = as_member("owner")
    add_activity([factories.make_member() for _ in range(2)], days=2)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["metrics", "export", "participation", "--period", "30d"])
    assert result.exit_code == 0, result.output
    download = owner.get("/admin/metrics/participation.csv?period=30").get_data(as_text=True)
    assert result.output == download
    refused = runner.invoke(args=["metrics", "export", "participation", "--period", "12d"])
    assert refused.exit_code == 2 and "7, 30 or 90 days" in refused.output
