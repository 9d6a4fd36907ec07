"""Membership applications: the form's values, and requests submitted through the service."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from community.core.outbox import drain_all
from community.extensions import db
from community.members.models import Member
from community.membership.applications import Application, submit_request
from community.membership.models import MembershipRequest
from community.membership.policy import Verdict
from tests.factories.sequence import next_number


def application(**overrides: str) -> Application:
    n = next_number()
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
