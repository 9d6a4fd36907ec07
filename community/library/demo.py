"""Demo library: 24 resources over every kind and tier (most published, some drafts and
scheduled items for the calendar), topics with followers, and two learning paths."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from community import access
from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.library import paths, services, workflow
from community.library.attachments import Upload
from community.library.demo_pdf import text_pdf
from community.library.models import Resource, TopicFollow
from community.library.services import ResourceDraft
from community.members.models import Member

# (kind, title, minimum tier, topics, status)
DEMO_RESOURCES = [
    (
        "article",
        "Reporting social ROI to the board",
        "strategist",
        "Measurement, Board",
        "published",
    ),
    ("how_to", "A one-page social dashboard", "strategist", "Measurement", "published"),
    (
        "research",
        "Benchmark: team sizes and budgets 2026",
        "executive",
        "Budgets, Teams",
        "published",
    ),
    ("white_paper", "Hub-and-spoke social teams", "executive", "Teams", "published"),
    ("video", "Crisis simulation walkthrough", "executive", "Crisis", "published"),
    (
        "recording",
        "Roundtable: the first 72 hours of a crisis",
        "council",
        "Crisis, Board",
        "published",
    ),
    ("article", "What we stopped measuring, and why", "strategist", "Measurement", "published"),
    ("how_to", "Setting up an employee advocacy pilot", "strategist", "Advocacy", "published"),
    ("research", "Listening tools compared", "strategist", "Listening", "published"),
    (
        "white_paper",
        "Social governance for regulated industries",
        "council",
        "Governance",
        "published",
    ),
    ("article", "Hiring a head of community", "executive", "Teams", "published"),
    (
        "video",
        "Share of voice on a small budget",
        "strategist",
        "Listening, Measurement",
        "published",
    ),
    (
        "recording",
        "Board conversations about social risk",
        "council",
        "Board, Governance",
        "published",
    ),
    ("how_to", "A crisis playbook template", "executive", "Crisis", "published"),
    (
        "article",
        "Getting legal comfortable with faster approvals",
        "executive",
        "Governance",
        "published",
    ),
    (
        "research",
        "Advocacy programmes: what moves the needle",
        "executive",
        "Advocacy",
        "published",
    ),
    ("white_paper", "Paid social: where budgets are going", "council", "Budgets", "published"),
    ("how_to", "Running a listening sprint", "strategist", "Listening", "published"),
    ("video", "Community management rituals", "strategist", "Teams", "published"),
    ("article", "Measuring community health", "strategist", "Measurement", "published"),
    ("research", "AI in social customer care", "executive", "Listening", "scheduled"),
    ("article", "Quarterly budget review checklist", "executive", "Budgets", "scheduled"),
    ("white_paper", "Social strategy for the next board cycle", "council", "Board", "in_review"),
    ("how_to", "Onboarding new community managers", "strategist", "Teams", "draft"),
]
# What each resource is about, as its editor would write it (title -> summary).
SUMMARIES = {
    "Reporting social ROI to the board": "Three figures a board will read, and the two it won't.",
    "A one-page social dashboard": "Eight tiles, one owner each: the layout five members use.",
    "Benchmark: team sizes and budgets 2026": "62 councils members' teams, by revenue band.",
    "Hub-and-spoke social teams": "When regions get their own people, and what stays central.",
    "Crisis simulation walkthrough": "A 40-minute tabletop drill, recorded with a retailer's team.",
    "Roundtable: the first 72 hours of a crisis": "Six CCOs on statements, silence and boards.",
    "What we stopped measuring, and why": "Follower counts, reach and 'engagement rate' retired.",
    "Setting up an employee advocacy pilot": "Two business units, 90 days, opt-in only.",
    "Listening tools compared": "Nine tools scored on coverage, languages and cost per seat.",
    "Social governance for regulated industries": "Approvals, archiving and disclosures.",
    "Hiring a head of community": "The scorecard and interview questions two members used.",
    "Share of voice on a small budget": "Free data sources and a spreadsheet that holds up.",
    "Board conversations about social risk": "How three chairs want social risk reported.",
    "A crisis playbook template": "Roles, holding lines and a sign-off ladder to adapt.",
    "Getting legal comfortable with faster approvals": "Pre-approved answers cut days to hours.",
    "Advocacy programmes: what moves the needle": "Survey of 140 programmes after year one.",
    "Paid social: where budgets are going": "Spend shifts by platform and region, 2024-2026.",
    "Running a listening sprint": "Five days from question to an answer product will use.",
    "Community management rituals": "Weekly threads, office hours and the monthly thank-you.",
    "Measuring community health": "Retention, answer time and reciprocity over raw activity.",
    "AI in social customer care": "Where assistants helped, where customers noticed.",
    "Quarterly budget review checklist": "Twelve questions to ask before finance asks them.",
    "Social strategy for the next board cycle": "A draft for council members' comments.",
    "Onboarding new community managers": "The first 30 days, week by week.",
}
BODY = (
    "## Why it matters\n\nPeers told us this was the question they met most often.\n\n"
    "## What to do\n\n1. Start from the decision the figure supports.\n"
    "2. Agree on one definition.\n3. Review it every quarter.\n"
)

PDF_TEXT = [
    "Prepared for council members from interviews with peers; figures are rounded and "
    "companies are not named. Share inside your organisation, not outside it.",
    "Method: structured interviews of 45 minutes, a short survey, and a review of the "
    "programmes' own reporting over the last four quarters.",
    "Findings: the teams that report fewer figures are trusted more; the figures that survive "
    "are the ones a decision hangs on. Start from the decision, agree one definition, and "
    "review it every quarter with finance.",
]


def _date_as_history(published: list[Resource]) -> None:
    """Spread the published items over the last quarter, newest last, as a library grows:
    written in one run, they would all carry today's date on the calendar and in the lists."""
    now = utcnow()
    for age, resource in enumerate(reversed(published)):
        when = now - timedelta(days=2 + age * 85 // max(1, len(published)), hours=age % 7)
        resource.created_at = resource.published_at = when


def seed_library(members: list[Member], echo: Callable[[str], None] = print) -> None:
    editor = next(member for member in members if access.is_owner(member))
    created: list[Resource] = []
    for n, (kind, title, tier, topics, status) in enumerate(DEMO_RESOURCES):
        upload = (
            Upload(f"{title[:40]}.pdf", text_pdf(title, [SUMMARIES[title], *PDF_TEXT]))
            if kind in ("white_paper", "research")
            else None
        )
        resource = services.create_resource(
            editor,
            ResourceDraft(
                kind=kind,
                title=title,
                summary=SUMMARIES[title],
                body=BODY,
                min_tier=tier,
                topics=topics,
                external_url="https://example.org/watch" if kind == "video" else "",
            ),
            upload,
        )
        if status != "draft":
            workflow.transition(editor, resource.id, "in_review")
        if status == "scheduled":
            when = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(
                days=3 + 4 * n % 9
            )
            workflow.transition(editor, resource.id, "scheduled", when)
        elif status == "published":
            workflow.transition(editor, resource.id, "published")
        created.append(resource)
    published = [r for r in created if r.status == "published"]
    _date_as_history(published)
    paths.save_path(
        editor,
        None,
        "Measurement basics",
        "From the first dashboard to the board report.",
        [r.id for r in published if any(t.slug == "measurement" for t in r.topics)],
    )
    paths.save_path(
        editor,
        None,
        "Leading through a crisis",
        "Prepare, rehearse and brief the board.",
        [r.id for r in published if {t.slug for t in r.topics} & {"crisis", "governance"}],
    )
    for member in members:
        for topic in {t.id: t for r in published[:3] for t in r.topics}.values():
            db.session.add(TopicFollow(member_id=member.id, topic_id=topic.id))
    commit()
    echo(
        f"Seeded {len(created)} library resources ({len(published)} published) "
        "and 2 learning paths."
    )
