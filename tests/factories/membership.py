"""Membership applications: the form's values, and requests submitted through the service."""

from __future__ import annotations

from community.members.models import Member
from community.membership.services import Application, SubmissionOutcome, submit_request
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


def make_request(referrer: Member | None = None, **overrides: str) -> SubmissionOutcome:
    return submit_request(application(**overrides), referrer=referrer)


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
