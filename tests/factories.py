"""Factories: members by role and tier, membership requests; each commits what it makes."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlalchemy import func, select

from community.core.events import commit
from community.core.outbox import drain_all
from community.extensions import db
from community.members.models import Member
from community.members.services import hash_password, make_handle
from community.membership.applications import Application, submit_request
from community.membership.models import MembershipRequest, Tier
from community.membership.policy import Verdict

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH: str | None = None
_sequence = itertools.count(1)

TIER_FOR_LEVEL = {
    "c_suite": "council",
    "evp": "council",
    "svp": "council",
    "vp": "executive",
    "director": "strategist",
}
LEVEL_FOR_TIER = {"council": "c_suite", "executive": "vp", "strategist": "director"}


def tier(slug: str) -> Tier:
    return db.session.scalars(select(Tier).where(Tier.slug == slug)).one()


def make_member(
    role: str = "member",
    tier_slug: str = "council",
    *,
    level: str | None = None,
    email: str | None = None,
    name: str | None = None,
    status: str = "active",
) -> Member:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = hash_password(PASSWORD)  # scrypt is slow on purpose; hash once
    n = next(_sequence)
    name = name or f"Member {n}"
    member = Member(
        handle=make_handle(name),
        email=email or f"member{n}@example-corp.com",
        name=name,
        title="Chief Strategy Officer",
        level=level or LEVEL_FOR_TIER[tier_slug],
        company="Example Corp",
        region="Europe",
        role=role,
        tier=tier(tier_slug),
        status=status,
        password_hash=_PASSWORD_HASH,
    )
    db.session.add(member)
    commit()
    return member


def application(**overrides: str) -> Application:
    n = next(_sequence)
    values = {
        "name": f"Applicant {n}",
        "email": f"applicant{n}@bigco.com",
        "title": "Chief Marketing Officer",
        "level": "c_suite",
        "company": "BigCo",
        "region": "North America",
        "profile_url": "",
        "reason": "I lead social strategy and want to learn from peers who do the same.",
    }
    values.update(overrides)
    return Application(**values)


@dataclass(frozen=True)
class SubmissionOutcome:
    """What the applicant was told, and the request the worker recorded (None: nothing new)."""

    verdict: Verdict
    request: MembershipRequest | None


def make_request(referrer: Member | None = None, **overrides: str) -> SubmissionOutcome:
    """Submit as the form does, then run the queue as the worker would."""
    newest_before = db.session.scalar(select(func.max(MembershipRequest.id))) or 0
    verdict = submit_request(application(**overrides), referrer=referrer)
    drain_all()
    recorded = db.session.scalars(
        select(MembershipRequest).where(MembershipRequest.id > newest_before)
    ).first()
    return SubmissionOutcome(verdict, recorded)


def form_data(app: Application) -> dict[str, str]:
    """The /apply form fields for an application, as a browser would post them."""
    return {
        "name": app.name,
        "email": app.email,
        "title": app.title,
        "level": app.level,
        "company": app.company,
        "region": app.region,
        "profile_url": app.profile_url,
        "reason": app.reason,
    }


def make_resource(
    editor: Member,
    title: str = "",
    *,
    tier_slug: str = "strategist",
    kind: str = "article",
    topics: str = "Measurement",
    status: str = "published",
    summary: str = "A short summary.",
    body: str = "Some **useful** text.",
):
    """A resource written by ``editor`` and moved through the workflow up to ``status``."""
    from community.library import services as library
    from community.library import workflow

    n = next(_sequence)
    resource = library.create_resource(
        editor,
        library.ResourceDraft(
            kind=kind,
            title=title or f"Resource {n}",
            summary=summary,
            body=body,
            min_tier=tier_slug,
            topics=topics,
        ),
    )
    if status != "draft":
        workflow.transition(editor, resource.id, "in_review")
    if status in ("published", "archived"):
        workflow.transition(editor, resource.id, "published")
    if status == "archived":
        workflow.transition(editor, resource.id, "archived")
    return resource
