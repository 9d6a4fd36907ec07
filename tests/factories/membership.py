"""Membership applications: the form's values, and requests submitted through the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from community.core.clock import utcnow
from community.core.events import commit
from community.core.outbox import drain_all
from community.core.security import new_token
from community.extensions import db
from community.members.models import Member
from community.membership.applications import Application, submit_request
from community.membership.models import Invitation, MembershipRequest, RequestStatus
from community.membership.policy import Verdict
from tests.factories.members import build_member, tier
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


def add_invitations(count: int, tier_slug: str = "council") -> list[Invitation]:
    """``count`` pending invitations, each from its own approved request and its own moderator,
    written in one commit (no policy check, no mail, no audit entry): for lists and counts,
    where approving them is not what is tested (``approve_request`` does all that)."""
    now, invited_to = utcnow(), tier(tier_slug)
    invitations = []
    for _ in range(count):
        values = application()
        moderator = build_member("moderator", name=f"Moderator of {values.name}")
        db.session.add(moderator)
        request = MembershipRequest(
            name=values.name,
            email=values.email,
            title=values.title,
            level=values.level,
            company=values.company,
            region=values.region,
            reason=values.reason,
            policy_version=1,
            eligible=True,
            status=RequestStatus.APPROVED.value,
            decided_at=now,
            decided_by=moderator,
        )
        invitations.append(
            Invitation(
                request=request,
                email=values.email,
                tier=invited_to,
                token_hash=new_token()[1],
                expires_at=now + timedelta(days=14),
                invited_by=moderator,
            )
        )
    db.session.add_all(invitations)
    commit()
    return invitations
