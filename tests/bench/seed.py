"""A large council for benchmarks: the demo plus many members, requests and audit entries."""

from __future__ import annotations

import random

from sqlalchemy import insert

from community.core.audit import AuditEntry
from community.core.clock import utcnow
from community.demo import seed_demo
from community.extensions import db
from community.members.levels import LEVEL_ORDER
from community.members.models import Member
from community.members.services import hash_password
from community.membership.models import MembershipRequest
from community.membership.services import get_current_policy, get_tiers


def seed_large_council(members: int, requests: int) -> None:
    """Bulk inserts (one statement per table), so seeding 10,000 rows takes seconds."""
    seed_demo(force=True, echo=lambda _: None)
    rng = random.Random(7)
    tiers = get_tiers()
    password_hash = hash_password("bench-password-2026")
    now = utcnow()
    db.session.execute(
        insert(Member),
        [
            {
                "email": f"bench{n}@company{n % 400}.example",
                "name": f"Bench Member {n}",
                "handle": f"bench{n}",
                "title": "Vice President",
                "level": rng.choice(LEVEL_ORDER[:5]).value,
                "company": f"Company {n % 400}",
                "region": rng.choice(["Europe", "North America", "Asia Pacific"]),
                "tier_id": rng.choice(tiers).id,
                "password_hash": password_hash,
                "created_at": now,
            }
            for n in range(members)
        ],
    )
    version = get_current_policy().version
    db.session.execute(
        insert(MembershipRequest),
        [
            {
                "name": f"Applicant {n}",
                "email": f"applicant{n}@prospect{n % 300}.example",
                "title": "Director",
                "level": rng.choice(LEVEL_ORDER).value,
                "company": f"Prospect {n % 300}",
                "region": "Europe",
                "reason": "I would like to learn from peers who run social strategy.",
                "policy_version": version,
                "eligible": n % 3 != 0,
                "failed_rule": "" if n % 3 else "Level: not admitted.",
                "created_at": now,
            }
            for n in range(requests)
        ],
    )
    db.session.execute(
        insert(AuditEntry),
        [
            {
                "action": "member.suspended",
                "target_type": "member",
                "target_id": n,
                "target_label": f"Bench Member {n}",
                "reason": "Benchmark",
                "details": {},
                "created_at": now,
            }
            for n in range(members)
        ],
    )
    db.session.commit()
