"""The demo community that ``make run`` seeds on an empty database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from community.core.clock import utcnow
from community.core.events import commit
from community.events.demo import seed_events
from community.extensions import db
from community.forum.demo import seed_discussions
from community.library.demo import seed_library
from community.members.demo import council_peers
from community.members.models import Member, Role
from community.members.services import hash_password, make_handle
from community.membership import services as membership
from community.membership.applications import Application, record_request
from community.metrics.demo import seed_activity
from community.moderation.demo import seed_review_queue
from community.notifications.kinds import KINDS, Channel
from community.notifications.services import save_settings

DEMO_PASSWORD = "council-demo-2026"  # noqa: S105 - printed for the demo on purpose

DEMO_MEMBERS = [
    # (email, name, title, level, company, region, role, tier)
    (
        "owner@council.example",
        "Olivia Owner",
        "Chief Community Officer",
        "c_suite",
        "Council",
        "North America",
        Role.OWNER,
        "council",
    ),
    (
        "moderator@council.example",
        "Marcus Moderator",
        "SVP Communications",
        "svp",
        "Northwind",
        "Europe",
        Role.MODERATOR,
        "council",
    ),
    (
        "ceo@council.example",
        "Catherine Chen",
        "Chief Executive Officer",
        "c_suite",
        "Fabrikam",
        "Asia Pacific",
        Role.MEMBER,
        "council",
    ),
    (
        "vp@council.example",
        "Victor Park",
        "VP Social Strategy",
        "vp",
        "Contoso",
        "North America",
        Role.MEMBER,
        "executive",
    ),
    (
        "director@council.example",
        "Diana Reyes",
        "Director, Digital Engagement",
        "director",
        "Tailspin",
        "Latin America",
        Role.MEMBER,
        "strategist",
    ),
]

DEMO_REQUESTS = [
    Application(
        "Priya Natarajan",
        "priya@adatum.example",
        "Chief Marketing Officer",
        "c_suite",
        "Adatum",
        "Asia Pacific",
        "https://adatum.example/team/priya",
        "I lead social strategy for a global brand and want to learn from peers.",
    ),
    Application(
        "Tom Becker",
        "tom@litware.example",
        "VP Corporate Communications",
        "vp",
        "Litware",
        "Europe",
        "",
        "Our social listening programme is young; I want to compare notes.",
    ),
    Application(
        "Sam Ortiz",
        "sam@wingtip.example",
        "Social Media Manager",
        "manager",
        "Wingtip",
        "North America",
        "",
        "I run our channels day to day and would love to join the conversation.",
    ),
    Application(
        "Alex Kim",
        "alex.kim@gmail.com",
        "Director of Brand",
        "director",
        "Proseware",
        "Asia Pacific",
        "",
        "Looking for peers who measure brand health in social channels.",
    ),
]


EMAILED_KINDS = [kind.name for kind in KINDS.values() if kind.default == Channel.EMAIL]


def seed_demo(force: bool = False, echo: Callable[[str], None] = print) -> bool:
    """Seed the demo; False when the database already had members (and nothing was done)."""
    if not force and db.session.scalar(select(func.count(Member.id))):
        return False
    membership.ensure_defaults()
    tiers = {tier.slug: tier for tier in membership.get_tiers()}
    password_hash = hash_password(DEMO_PASSWORD)
    members = {}
    for email, name, title, level, company, region, role, tier in DEMO_MEMBERS:
        member = db.session.scalars(select(Member).where(Member.email == email)).first()
        if member is None:
            member = Member(
                handle=make_handle(name),
                email=email,
                name=name,
                title=title,
                level=level,
                company=company,
                region=region,
                role=role.value,
                tier=tiers[tier],
                password_hash=password_hash,
                guidelines_accepted_at=utcnow(),
                created_at=utcnow() - timedelta(days=200),  # long-standing members
            )
            db.session.add(member)
        members[role] = member
    for n, (email, name, title, level, company, region, tier) in enumerate(council_peers()):
        db.session.add(
            Member(
                handle=make_handle(name),
                email=email,
                name=name,
                title=title,
                level=level,
                company=company,
                region=region,
                role=Role.MEMBER.value,
                tier=tiers[tier],
                password_hash=password_hash,
                guidelines_accepted_at=utcnow(),
                created_at=utcnow() - timedelta(days=120 + 7 * n),  # joined over the months
            )
        )
    commit()
    count = db.session.scalar(select(func.count(Member.id)))
    echo(f"Seeded {count} members over {len(tiers)} tiers.")
    for index, application in enumerate(DEMO_REQUESTS):
        referrer = db.session.get(Member, members[Role.MEMBER].id) if index == 1 else None
        record_request(application, referrer=referrer)
    echo(f"Seeded {len(DEMO_REQUESTS)} membership requests waiting for review.")
    everyone = list(db.session.scalars(select(Member).order_by(Member.id)))
    for member in everyone:
        # Their notifications stay in the app and the daily digest: seeding 600 posts must not
        # write hundreds of "replied to" emails into the outbox.
        save_settings(member, dict.fromkeys(EMAILED_KINDS, Channel.DAILY.value))
    # The demo writes its 400 posts in seconds, as history: the per-minute posting limit, which
    # is there for people, is lifted for this run only.
    posts_per_minute = current_app.config["POSTS_PER_MINUTE"]
    current_app.config["POSTS_PER_MINUTE"] = 1_000_000
    try:
        seed_discussions(everyone, echo)
        seed_review_queue(everyone, echo)
    finally:
        current_app.config["POSTS_PER_MINUTE"] = posts_per_minute
    seed_library(everyone, echo)
    seed_events(everyone, echo)
    seed_activity(echo)
    return True


def demo_logins() -> list[tuple[str, str]]:
    """(role and tier, email) of the demo accounts that exist in this database."""
    emails = [row[0] for row in DEMO_MEMBERS]
    members = db.session.scalars(select(Member).where(Member.email.in_(emails)))
    by_email = {member.email: member for member in members}
    return [
        (f"{by_email[email].role} ({by_email[email].tier.name})", email)
        for email in emails
        if email in by_email
    ]
