"""Requests to join and nominations: what the public form and /nominate do, and what the worker
does after them.

Nothing a request does may depend on whether the address is already known, or the answer's
content, its timing or the nomination counter would tell a stranger who is a member. So the
request only checks what the applicant typed, counts a nomination (every one counts) and queues
a task; the worker (``record_request``) then records the request, or tells the owner of the
address by email why nothing new was recorded (already a member, already waiting, cooling down).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community.core.clock import utcnow
from community.core.domain_events import MembershipRequested
from community.core.emails import check_email
from community.core.errors import DomainError
from community.core.events import commit, publish
from community.core.mail import send_email
from community.core.outbox import enqueue_task
from community.extensions import db
from community.members.models import Member, MemberStatus
from community.membership.models import (
    MembershipPolicy,
    MembershipRequest,
    Nomination,
    RequestStatus,
)
from community.membership.policy import Verdict, evaluate
from community.membership.services import get_current_policy

RECORD_REQUEST_TASK = "membership.record_request"


@dataclass(frozen=True)
class Application:
    """What a prospect (or a nominating member) tells us about a person."""

    name: str
    email: str
    title: str
    level: str
    company: str
    region: str
    profile_url: str
    reason: str


def nominations_used_this_month(member: Member) -> int:
    start = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (
        db.session.scalar(
            select(func.count(Nomination.id)).where(
                Nomination.referrer_id == member.id, Nomination.created_at >= start
            )
        )
        or 0
    )


def nominations_left(member: Member) -> int:
    return max(0, get_current_policy().nomination_quota - nominations_used_this_month(member))


def submit_request(application: Application, referrer: Member | None = None) -> Verdict:
    """Take a request to join (a nomination when ``referrer`` is given): the verdict under the
    current policy, the same for every address; the worker records it."""
    policy = get_current_policy()
    email = check_email(application.email)
    verdict = evaluate(policy, application.level, email)
    if referrer is not None:
        if nominations_used_this_month(referrer) >= policy.nomination_quota:
            raise DomainError(
                f"You have used this month's {policy.nomination_quota} nominations; "
                "the quota renews on the first of the month."
            )
        db.session.add(Nomination(referrer_id=referrer.id, email=email))
    enqueue_task(
        RECORD_REQUEST_TASK,
        **asdict(application) | {"email": email},
        referrer_id=referrer.id if referrer is not None else None,
    )
    commit()
    return verdict


def record_request_task(referrer_id: int | None, **fields: str) -> None:
    """The queued half of ``submit_request``."""
    referrer = db.session.get(Member, referrer_id) if referrer_id is not None else None
    record_request(Application(**fields), referrer)


def record_request(
    application: Application, referrer: Member | None = None
) -> MembershipRequest | None:
    """Record a request judged under the current policy and confirm it by email; or, when one
    cannot be recorded for this address, tell the address why. Returns the new request, if any."""
    policy = get_current_policy()
    email = check_email(application.email)
    verdict = evaluate(policy, application.level, email)
    if _tell_address_why_not(email, policy, application.name):
        commit()
        return None

    request = MembershipRequest(
        name=application.name.strip(),
        email=email,
        title=application.title.strip(),
        level=application.level,
        company=application.company.strip(),
        region=application.region.strip(),
        profile_url=application.profile_url.strip(),
        reason=application.reason.strip(),
        referrer=referrer,
        policy_version=policy.version,
        eligible=verdict.eligible,
        failed_rule=verdict.failed_rule,
    )
    db.session.add(request)
    send_email(
        email,
        "We received your request to join Council",
        "request_received",
        request=request,
        verdict=verdict,
        referrer=referrer,
    )
    try:
        db.session.flush()
    except IntegrityError:
        # Another submission for the same address won the race: treat it as the duplicate it is.
        db.session.rollback()
        return None
    publish(MembershipRequested(request_id=request.id))
    commit()
    return request


def _tell_address_why_not(email: str, policy: MembershipPolicy, name: str) -> bool:
    """Email the address when a new request cannot be recorded; say whether that was so."""
    member = db.session.scalars(select(Member).where(Member.email == email)).first()
    if member is not None and member.status != MemberStatus.REVOKED:
        send_email(email, "You are already a Council member", "request_already_member", name=name)
        return True
    pending = db.session.scalars(
        select(MembershipRequest).where(
            MembershipRequest.email == email, MembershipRequest.status == RequestStatus.PENDING
        )
    ).first()
    if pending is not None:
        send_email(
            email,
            "Your Council request is still under review",
            "request_pending",
            name=name,
            pending=pending,
        )
        return True
    last_decline = db.session.scalars(
        select(MembershipRequest)
        .where(MembershipRequest.email == email, MembershipRequest.status == RequestStatus.DECLINED)
        .order_by(MembershipRequest.decided_at.desc())
        .limit(1)
    ).first()
    if last_decline is not None and last_decline.decided_at is not None:
        again_on = last_decline.decided_at + timedelta(days=policy.cooldown_days)
        if again_on > utcnow():
            send_email(
                email,
                "About your request to join Council",
                "request_cooldown",
                name=name,
                again_on=again_on,
            )
            return True
    return False
