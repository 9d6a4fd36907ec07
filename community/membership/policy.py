"""Evaluating a person against the membership policy: pure functions, no database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from community.members.levels import LEVEL_ORDER, Level

if TYPE_CHECKING:
    from community.membership.models import MembershipPolicy

DEFAULT_ADMITTED_LEVELS = [Level.C_SUITE, Level.EVP, Level.SVP, Level.VP, Level.DIRECTOR]
DEFAULT_LEVEL_TIERS = {
    Level.C_SUITE: "council",
    Level.EVP: "council",
    Level.SVP: "council",
    Level.VP: "executive",
    Level.DIRECTOR: "strategist",
}
# Executives apply with their work address; personal mailboxes say nothing about the role.
DEFAULT_BLOCKED_EMAIL_DOMAINS = [
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "aol.com",
    "icloud.com",
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "mail.com",
]


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    failed_rule: str = ""


def describe_admitted_levels(admitted: list[str]) -> str:
    labels = [level.label for level in LEVEL_ORDER if level.value in admitted]
    return ", ".join(labels) if labels else "no level"


def evaluate(policy: MembershipPolicy, level: str, email: str) -> Verdict:
    """Judge a level and a work email against one policy version; name the rule that fails."""
    if level not in policy.admitted_levels:
        return Verdict(
            False,
            f"Level: the policy (version {policy.version}) admits "
            f"{describe_admitted_levels(policy.admitted_levels)}; "
            f"{Level(level).label} is not among them.",
        )
    domain = email.rsplit("@", 1)[-1].lower()
    if domain in policy.blocked_email_domains:
        return Verdict(
            False,
            f"Work email: requests must come from a work address; {domain} is a personal "
            "mail provider.",
        )
    return Verdict(True)


def tier_slug_for(policy: MembershipPolicy, level: str) -> str | None:
    """The tier an admitted level is placed in, or None when the level is not admitted."""
    if level not in policy.admitted_levels:
        return None
    return policy.level_tiers.get(level)
