"""Owners change the policy and tiers. A change is previewed, then applied to everyone alike.

Only the level rules (which levels are admitted, which tier each gets) reach current members;
the other rules (work email, quotas, cool-down) apply to requests from then on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from community import access
from community.core.audit import record_audit
from community.core.domain_events import MemberChanged, MemberSignedOut, PolicyChanged
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit, publish
from community.core.mail import send_email
from community.extensions import db
from community.members.levels import Level
from community.members.models import Member, MemberStatus, Role, Tier
from community.membership.models import MembershipPolicy
from community.membership.policy import tier_slug_for
from community.membership.services import get_current_policy, get_tiers

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,39}$")


@dataclass
class PolicyDraft:
    admitted_levels: list[str]
    level_tiers: dict[str, str]
    blocked_email_domains: list[str] = field(default_factory=list)
    nomination_quota: int = 5
    cooldown_days: int = 90
    invitation_days: int = 14
    note: str = ""


@dataclass(frozen=True)
class MemberImpact:
    member: Member
    outcome: str  # "revoke" or "tier"
    old_tier: str
    new_tier: str | None

    @property
    def description(self) -> str:
        if self.outcome == "revoke":
            return "no longer qualifies: membership revoked"
        return f"moves from {self.old_tier} to {self.new_tier}"


def draft_from_policy(policy: MembershipPolicy) -> PolicyDraft:
    return PolicyDraft(
        admitted_levels=list(policy.admitted_levels),
        level_tiers=dict(policy.level_tiers),
        blocked_email_domains=list(policy.blocked_email_domains),
        nomination_quota=policy.nomination_quota,
        cooldown_days=policy.cooldown_days,
        invitation_days=policy.invitation_days,
    )


def check_draft(draft: PolicyDraft) -> None:
    levels = {level.value for level in Level}
    tier_slugs = {tier.slug for tier in get_tiers()}
    unknown = [level for level in draft.admitted_levels if level not in levels]
    if unknown:
        raise DomainError(f"Unknown level: {', '.join(unknown)}.", field="admitted_levels")
    if not draft.admitted_levels:
        raise DomainError("Admit at least one level.", field="admitted_levels")
    for level in draft.admitted_levels:
        if draft.level_tiers.get(level) not in tier_slugs:
            raise DomainError(f"Choose a tier for {Level(level).label}.", field=f"tier_{level}")
    bounds = {
        "nomination_quota": (0, 50),
        "cooldown_days": (0, 3650),
        "invitation_days": (1, 60),
    }
    for name, (low, high) in bounds.items():
        value = getattr(draft, name)
        if not low <= value <= high:
            raise DomainError(f"Use a number from {low} to {high}.", field=name)
    for domain in draft.blocked_email_domains:
        if not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", domain):
            raise DomainError(f"'{domain}' is not a mail domain.", field="blocked_email_domains")


def preview_policy_change(draft: PolicyDraft) -> list[MemberImpact]:
    """The current members whose standing the draft would change, and how."""
    check_draft(draft)
    current = get_current_policy()
    proposed = MembershipPolicy(
        version=current.version + 1,
        admitted_levels=draft.admitted_levels,
        level_tiers={level: draft.level_tiers[level] for level in draft.admitted_levels},
    )
    members = db.session.scalars(
        select(Member).where(Member.status != MemberStatus.REVOKED).order_by(Member.name)
    )
    impacts = []
    for member in members:
        before = tier_slug_for(current, member.level)
        after = tier_slug_for(proposed, member.level)
        if before == after:
            continue  # unchanged for them (including members admitted by an owner's override)
        if after is None:
            impacts.append(MemberImpact(member, "revoke", member.tier.slug, None))
        elif after != member.tier.slug:
            impacts.append(MemberImpact(member, "tier", member.tier.slug, after))
    return impacts


def apply_policy_change(owner: Member, draft: PolicyDraft, base_version: int) -> MembershipPolicy:
    """Publish a new policy version and apply it to every affected member the same way."""
    if not access.is_owner(owner):
        raise PermissionDenied("Only owners change the membership policy.")
    current = get_current_policy()
    if current.version != base_version:
        raise DomainError(
            f"The policy changed (now version {current.version}) since you previewed this; "
            "review the preview again."
        )
    impacts = preview_policy_change(draft)
    owners_revoked = [
        i.member.name for i in impacts if i.outcome == "revoke" and i.member.role == Role.OWNER
    ]
    if owners_revoked:
        raise DomainError(
            "This change would revoke an owner (" + ", ".join(owners_revoked) + "); change "
            "their recorded level or keep their level admitted."
        )
    policy = MembershipPolicy(
        version=current.version + 1,
        admitted_levels=draft.admitted_levels,
        level_tiers={level: draft.level_tiers[level] for level in draft.admitted_levels},
        blocked_email_domains=draft.blocked_email_domains,
        nomination_quota=draft.nomination_quota,
        cooldown_days=draft.cooldown_days,
        invitation_days=draft.invitation_days,
        note=draft.note.strip(),
        created_by=owner,
    )
    db.session.add(policy)
    tiers = {tier.slug: tier for tier in get_tiers()}
    for impact in impacts:
        member = impact.member
        if impact.outcome == "revoke":
            member.status = MemberStatus.REVOKED.value
            publish(MemberChanged(member_id=member.id))
            member.status_reason = f"Membership policy version {policy.version}"
            member.session_version += 1
            publish(MemberSignedOut(member_id=member.id))
        else:
            assert impact.new_tier is not None, "an impact that is not a revocation names a tier"
            member.tier = tiers[impact.new_tier]
            publish(MemberChanged(member_id=member.id))
        record_audit(
            owner,
            "member.revoked_by_policy" if impact.outcome == "revoke" else "member.tier_changed",
            "member",
            member.id,
            target_label=f"{member.name} <{member.email}>",
            reason=draft.note.strip(),
            policy_version=policy.version,
            old_tier=impact.old_tier,
            new_tier=impact.new_tier,
        )
        send_email(
            member.email,
            "The Council membership policy has changed",
            "policy_notice",
            member=member,
            impact=impact,
            policy=policy,
        )
    record_audit(
        owner,
        "policy.changed",
        "membership_policy",
        policy.version,
        target_label=f"version {policy.version}",
        reason=draft.note.strip(),
        policy_version=policy.version,
        members_revoked=sum(1 for i in impacts if i.outcome == "revoke"),
        members_moved=sum(1 for i in impacts if i.outcome == "tier"),
    )
    publish(PolicyChanged(version=policy.version, summary=draft.note.strip()))
    commit()
    return policy


def update_tier(owner: Member, tier_id: int, name: str, description: str) -> Tier:
    if not access.is_owner(owner):
        raise PermissionDenied("Only owners edit tiers.")
    tier = db.session.get(Tier, tier_id)
    if tier is None:
        raise DomainError("That tier does not exist.")
    if not name.strip():
        raise DomainError("Give the tier a name.", field="name")
    record_audit(
        owner,
        "tier.updated",
        "tier",
        tier.id,
        target_label=tier.slug,
        old_name=tier.name,
        new_name=name.strip(),
    )
    tier.name = name.strip()
    tier.description = description.strip()
    commit()
    return tier


def create_tier(owner: Member, slug: str, name: str, rank: int, description: str = "") -> Tier:
    if not access.is_owner(owner):
        raise PermissionDenied("Only owners add tiers.")
    slug = slug.strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise DomainError(
            "Use 2-40 lowercase letters, digits and hyphens, starting with a letter.", field="slug"
        )
    if db.session.scalars(select(Tier).where(Tier.slug == slug)).first():
        raise DomainError("A tier with that slug exists.", field="slug")
    if db.session.scalars(select(Tier).where(Tier.rank == rank)).first():
        raise DomainError(
            "Another tier has that rank; ranks order tiers, so each is unique.", field="rank"
        )
    if not name.strip():
        raise DomainError("Give the tier a name.", field="name")
    tier = Tier(slug=slug, name=name.strip(), rank=rank, description=description.strip())
    db.session.add(tier)
    db.session.flush()
    record_audit(owner, "tier.created", "tier", tier.id, target_label=slug, rank=rank)
    commit()
    return tier
