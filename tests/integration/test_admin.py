"""Owners' pages: the membership policy (preview, then apply), tiers, and the audit log."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.core.clock import utcnow
from community.extensions import db
from community.members.models import Member, Tier
from community.membership.models import MembershipPolicy
from tests import factories
from tests.conftest import Outbox

DEFAULT_TIERS = {
    "c_suite": "council",
    "evp": "council",
    "svp": "council",
    "vp": "executive",
    "director": "strategist",
}


def policy_form(**changes) -> dict:
    """The policy form as the page first shows it (version 1), with ``changes`` applied."""
    data = {
        "base_version": "1",
        "admitted_levels": list(DEFAULT_TIERS),
        "blocked_email_domains": "gmail.com\nyahoo.com",
        "nomination_quota": "5",
        "cooldown_days": "90",
        "invitation_days": "14",
        "note": "",
        "action": "preview",
        **{f"tier_{level}": DEFAULT_TIERS.get(level, "") for level in [*DEFAULT_TIERS, "manager"]},
        "tier_individual": "",
    }
    data.update(changes)
    return data


def without_directors(**changes) -> dict:
    """A draft that stops admitting Directors and moves VPs up to the Council tier."""
    return policy_form(
        admitted_levels=["c_suite", "evp", "svp", "vp"],
        tier_director="",
        tier_vp="council",
        note="We are narrowing to VP and above.",
        **changes,
    )


def _versions() -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(MembershipPolicy.version).order_by("version")))


def _member(member_id: int) -> Member:
    db.session.expire_all()
    return db.session.get(Member, member_id)


@pytest.fixture
def owner(as_member):
    return as_member("owner", name="Olive Owner")


@pytest.fixture
def population(app):
    """A Director and a VP, each signed in on their own client."""
    people = {}
    for key, tier in [("director", "strategist"), ("vp", "executive")]:
        member = factories.make_member(tier_slug=tier, name=f"Pat {key.upper()}")
        member_client = app.test_client()
        member_client.sign_in(member.email)
        people[key] = (member_client, member)
    return people


# Who may open the admin pages --------------------------------------------------------------------


def test_a_moderator_is_refused_the_admin_pages(as_member):
    """Owners only; everyone else is answered as if the pages did not exist (issue 13)."""
    client, _ = as_member("moderator")
    for url in ["/admin/", "/admin/policy", "/admin/tiers", "/admin/audit", "/admin/audit.csv"]:
        assert client.get(url).status_code == 404, url
    response = client.submit("/admin/policy", without_directors(action="apply"))
    assert response.status_code == 404
    assert _versions() == [1]


# The policy --------------------------------------------------------------------------------------


def test_policy_page_shows_the_version_in_force(owner):
    client, _ = owner
    page = client.get("/admin/policy")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "version 1" in text
    assert 'name="base_version" type="hidden" value="1"' in text
    checked = re.findall(r'name="admitted_levels" value="(\w+)"[^>]*\bchecked\b', text)
    assert checked == ["c_suite", "evp", "svp", "vp", "director"]
    assert '<option selected value="executive">' in text  # the VP tier


def test_preview_lists_who_would_be_revoked_or_moved_and_changes_nothing(owner, population, outbox):
    client, _ = owner
    _, director = population["director"]
    _, vp = population["vp"]
    c_suite = factories.make_member(name="Cass Csuite")

    response = client.submit("/admin/policy", without_directors())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    preview = page[page.index('id="preview"') : page.index("</section>")]
    assert "2 members will be emailed a notice" in preview
    revoked = re.findall(r'<li class="impact-revoke"><strong>([^<]+)</strong>', preview)
    moved = re.findall(r'<li class="impact-tier"><strong>([^<]+)</strong>([^<]*)', preview)
    assert revoked == [director.name]
    assert [name for name, _ in moved] == [vp.name]
    assert "moves from executive to council" in moved[0][1]
    assert c_suite.name not in preview
    assert "Nothing has changed yet" in preview

    assert _versions() == [1]
    assert _member(director.id).status == "active"
    assert _member(vp.id).tier.slug == "executive"
    assert outbox.messages == []
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_applying_publishes_a_version_and_treats_everyone_the_same(owner, population, outbox):
    client, me = owner
    director_client, director = population["director"]
    vp_client, vp = population["vp"]
    second_director = factories.make_member(tier_slug="strategist", name="Dee Director")

    response = client.submit("/admin/policy", without_directors(action="apply"))
    assert response.status_code == 302
    page = client.get("/admin/policy").get_data(as_text=True)
    assert "Policy version 2 is in force." in page
    assert "We are narrowing to VP and above." in page

    assert _versions() == [1, 2]
    current = db.session.scalars(
        select(MembershipPolicy).where(MembershipPolicy.version == 2)
    ).one()
    assert current.admitted_levels == ["c_suite", "evp", "svp", "vp"]
    assert current.level_tiers["vp"] == "council"
    assert current.created_by_id == me.id

    for revoked in (director, second_director):
        assert _member(revoked.id).status == "revoked"
        [mail] = outbox.to(revoked.email)
        assert "your membership has ended" in Outbox.text(mail)
        assert "version 2" in Outbox.text(mail)
    assert _member(vp.id).tier.slug == "council"
    assert _member(vp.id).status == "active"
    [mail] = outbox.to(vp.email)
    assert "now in the Council tier" in Outbox.text(mail)
    assert outbox.to(me.email) == []

    # The revoked are signed out at once; the moved stay signed in.
    signed_out = director_client.get("/nominate")
    assert signed_out.status_code == 302
    assert signed_out.headers["Location"].startswith("/login")
    assert vp_client.get("/nominate").status_code == 200

    db.session.expire_all()
    [changed] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "policy.changed")
    ).all()
    assert changed.actor_id == me.id
    assert changed.policy_version == 2
    assert changed.reason == "We are narrowing to VP and above."
    assert changed.details == {"members_revoked": 2, "members_moved": 1}
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert sorted(actions) == [
        "member.revoked_by_policy",
        "member.revoked_by_policy",
        "member.tier_changed",
        "policy.changed",
    ]

    # New requests are judged by version 2.
    request = factories.make_request(level="director").request
    assert request.policy_version == 2
    assert not request.eligible


def test_applying_on_a_stale_version_is_refused(owner, population, outbox):
    client, _ = owner
    first = client.submit("/admin/policy", policy_form(action="apply", nomination_quota="3"))
    assert first.status_code == 302
    outbox.clear()

    stale = client.submit("/admin/policy", without_directors(action="apply", base_version="1"))
    assert stale.status_code == 400
    assert "The policy changed (now version 2)" in stale.get_data(as_text=True)
    assert _versions() == [1, 2]
    assert _member(population["director"][1].id).status == "active"
    assert outbox.messages == []


@pytest.mark.parametrize("version", ["abc", "²", "", str(10**30)])
def test_applying_with_a_malformed_version_is_refused_not_an_error(owner, version):
    client, _ = owner
    response = client.submit("/admin/policy", policy_form(action="apply", base_version=version))
    assert response.status_code == 400
    assert _versions() == [1]


def test_a_change_that_would_revoke_an_owner_is_refused(as_member, outbox):
    client, owner = as_member("owner", tier="strategist")  # an owner who is a Director
    director = factories.make_member(tier_slug="strategist")
    response = client.submit("/admin/policy", without_directors(action="apply"))
    assert response.status_code == 400
    assert f"This change would revoke an owner ({owner.name})" in response.get_data(as_text=True)
    assert _versions() == [1]
    assert _member(owner.id).status == "active"
    assert _member(director.id).status == "active"
    assert outbox.messages == []
    assert client.get("/admin/policy").status_code == 200  # the owner is still signed in


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"nomination_quota": "999"}, "Number must be between 0 and 50."),
        ({"cooldown_days": "-1"}, "Number must be between 0 and 3650."),
        ({"invitation_days": "0"}, "Number must be between 1 and 60."),
        ({"invitation_days": "two weeks"}, "Not a valid integer value."),
        ({"admitted_levels": []}, "Admit at least one level."),
        ({"tier_vp": ""}, "Choose a tier for VP."),
        ({"tier_vp": "platinum"}, "Choose a tier for VP."),
        ({"blocked_email_domains": "gmail.com\nnot a domain"}, "is not a mail domain"),
    ],
)
def test_invalid_policy_drafts_are_refused_with_the_reason(owner, outbox, changes, error):
    client, _ = owner
    for action in ("preview", "apply"):
        response = client.submit("/admin/policy", policy_form(action=action, **changes))
        assert response.status_code == 400, action
        page = response.get_data(as_text=True)
        assert error in page, action
        assert 'id="preview"' not in page
    assert _versions() == [1]
    assert outbox.messages == []


def test_policy_change_without_the_csrf_token_changes_nothing(owner):
    client, _ = owner
    response = client.post("/admin/policy", data=without_directors(action="apply"))
    assert response.status_code == 400
    assert _versions() == [1]


# Tiers -------------------------------------------------------------------------------------------


def _tier(slug: str) -> Tier | None:
    db.session.expire_all()
    return db.session.scalars(select(Tier).where(Tier.slug == slug)).first()


def test_tiers_page_lists_tiers_by_rank(owner):
    client, _ = owner
    page = client.get("/admin/tiers").get_data(as_text=True)
    positions = [page.index(f"{slug} · rank") for slug in ("council", "executive", "strategist")]
    assert positions == sorted(positions)


def test_renaming_a_tier(owner):
    client, _ = owner
    tier = _tier("executive")
    prefix = f"tier{tier.id}"
    token = client.csrf_token()
    response = client.submit(
        f"/admin/tiers/{tier.id}",
        {
            "csrf_token": token,
            f"{prefix}-csrf_token": token,
            f"{prefix}-name": "Vice Presidents",
            f"{prefix}-description": "VPs of social strategy.",
        },
    )
    assert response.status_code == 302
    page = client.get("/admin/tiers").get_data(as_text=True)
    assert "Tier saved." in page
    assert "<h2>Vice Presidents" in page
    assert _tier("executive").name == "Vice Presidents"
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tier.updated"))
    assert entry.details == {"old_name": "Executive", "new_name": "Vice Presidents"}


def test_renaming_a_tier_to_nothing_is_refused(owner):
    client, _ = owner
    tier = _tier("executive")
    token = client.csrf_token()
    response = client.submit(
        f"/admin/tiers/{tier.id}",
        {"csrf_token": token, f"tier{tier.id}-csrf_token": token, f"tier{tier.id}-name": ""},
    )
    assert response.status_code == 302
    assert "Give the tier a name" in client.get("/admin/tiers").get_data(as_text=True)
    assert _tier("executive").name == "Executive"


def _new_tier(client, **fields: str):
    token = client.csrf_token()
    data = {"csrf_token": token, "new-csrf_token": token, "new-description": ""}
    data.update({f"new-{key}": value for key, value in fields.items()})
    return client.submit("/admin/tiers/new", data)


def test_adding_a_tier(owner):
    client, _ = owner
    response = _new_tier(client, slug="fellows", name="Fellows", rank="40")
    assert response.status_code == 302
    page = client.get("/admin/tiers").get_data(as_text=True)
    assert "Tier added." in page
    assert "fellows · rank 40" in page
    assert page.index("fellows · rank 40") < page.index("council · rank 30")
    assert _tier("fellows").rank == 40
    # The new tier can be chosen in the policy.
    assert '<option value="fellows">Fellows</option>' in client.get("/admin/policy").text


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"slug": "council", "rank": "40"}, "A tier with that slug exists."),
        ({"slug": "fellows", "rank": "30"}, "Another tier has that rank"),
        ({"slug": "Not A Slug!", "rank": "40"}, "Use 2-40 lowercase letters"),
        ({"slug": "fellows", "rank": "0"}, "Number must be between 1 and 1000."),
    ],
)
def test_adding_a_clashing_or_malformed_tier_is_refused(owner, fields, error):
    client, _ = owner
    response = _new_tier(client, name="Fellows", **fields)
    assert response.status_code == 400
    assert error in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.scalars(select(Tier)).all()) == 3
    assert _tier("fellows") is None


# The audit log -----------------------------------------------------------------------------------


@pytest.fixture
def history(owner, as_member):
    """An approval by one moderator and a decline by another, both through the site."""
    _, olive = owner
    alice_client, alice = as_member("moderator", name="Alice Approver")
    dan_client, dan = as_member("moderator", name="Dan Decliner")
    approved = factories.make_request(name="Ann Approved").request
    declined = factories.make_request(name="Bo Declined").request
    assert alice_client.submit(f"/moderation/requests/{approved.id}/approve").status_code == 302
    response = dan_client.submit(
        f"/moderation/requests/{declined.id}/decline", {"category": "incomplete"}
    )
    assert response.status_code == 302
    return {"alice": alice, "dan": dan, "olive": olive}


def _audit_rows(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")] if "<tbody>" in page else ""
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def test_audit_log_lists_entries_newest_first(owner, history):
    client, _ = owner
    page = client.get("/admin/audit").get_data(as_text=True)
    rows = _audit_rows(page)
    assert len(rows) == 2
    assert "request.declined" in rows[0] and "Dan Decliner" in rows[0] and "Bo Declined" in rows[0]
    assert "Request is incomplete" in rows[0]
    assert "request.approved" in rows[1] and "Alice Approver" in rows[1]
    assert "v1" in rows[1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=request.approved", ["Ann Approved"]),
        ("action=request.declined", ["Bo Declined"]),
        ("action=request", ["Bo Declined", "Ann Approved"]),
        ("actor=alice", ["Ann Approved"]),
        ("actor=Decliner", ["Bo Declined"]),
        ("target=bo+declined", ["Bo Declined"]),
        ("target=applicant", ["Bo Declined", "Ann Approved"]),
        ("actor=alice&action=request.declined", []),
    ],
)
def test_audit_log_filters(owner, history, query, expected):
    client, _ = owner
    page = client.get(f"/admin/audit?{query}").get_data(as_text=True)
    rows = _audit_rows(page)
    assert len(rows) == len(expected)
    for row, name in zip(rows, expected, strict=True):
        assert name in row
    if not expected:
        assert "No audit entries match these filters." in page


def test_audit_log_filters_by_date(owner, history):
    client, _ = owner
    today = utcnow().date()
    day = timedelta(days=1)

    def count(query: str) -> int:
        return len(_audit_rows(client.get(f"/admin/audit?{query}").get_data(as_text=True)))

    assert count(f"since={today}&until={today}") == 2
    assert count(f"since={today - day}") == 2
    assert count(f"since={today + day}") == 0
    assert count(f"until={today - day}") == 0
    assert count("since=not-a-date") == 2  # an unreadable date is ignored, not an error


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_audit_csv_exports_the_filtered_rows(owner, history):
    client, _ = owner
    header, *rows = _csv(client.get("/admin/audit.csv"))
    assert header[:3] == ["time_utc", "actor", "action"]
    assert "reason" in header and "policy_version" in header
    assert [row[header.index("action")] for row in rows] == ["request.declined", "request.approved"]
    assert rows[1][header.index("actor")] == history["alice"].email

    header, *rows = _csv(client.get("/admin/audit.csv?actor=dan"))
    assert len(rows) == 1
    assert rows[0][header.index("action")] == "request.declined"
    assert rows[0][header.index("reason")].startswith("Request is incomplete")

    header, *rows = _csv(client.get("/admin/audit.csv?action=policy.changed"))
    assert header[0] == "time_utc"
    assert rows == []


def test_audit_csv_neutralises_spreadsheet_formulas(owner, as_member):
    client, _ = owner
    moderator_client, _ = as_member("moderator")
    formula = '=HYPERLINK("https://evil.example/","Click")'
    request = factories.make_request(name=formula).request
    response = moderator_client.submit(
        f"/moderation/requests/{request.id}/decline",
        {"category": "other", "message": "-1+2 looks like a sum"},
    )
    assert response.status_code == 302

    header, *rows = _csv(client.get("/admin/audit.csv"))
    [row] = rows
    target = row[header.index("target")]
    assert target.startswith("'=HYPERLINK(")
    assert request.email in target
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    # On the page the label is shown as text, not run or linked.
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "=HYPERLINK(&#34;https://evil.example/&#34;" in page
