"""The policy rule itself: a pure function of one policy version, a level and an email."""

from __future__ import annotations

import pytest

from community.members.levels import Level
from community.membership.models import MembershipPolicy
from community.membership.policy import (
    DEFAULT_ADMITTED_LEVELS,
    DEFAULT_BLOCKED_EMAIL_DOMAINS,
    DEFAULT_LEVEL_TIERS,
    evaluate,
    tier_slug_for,
)

pytestmark = pytest.mark.sqlite_only(reason="pure functions: --db changes nothing here")


def make_policy(version: int = 1, **overrides) -> MembershipPolicy:
    values = {
        "version": version,
        "admitted_levels": [level.value for level in DEFAULT_ADMITTED_LEVELS],
        "level_tiers": {level.value: slug for level, slug in DEFAULT_LEVEL_TIERS.items()},
        "blocked_email_domains": list(DEFAULT_BLOCKED_EMAIL_DOMAINS),
    }
    values.update(overrides)
    return MembershipPolicy(**values)


@pytest.mark.parametrize(
    ("level", "tier"),
    [
        ("c_suite", "council"),
        ("evp", "council"),
        ("svp", "council"),
        ("vp", "executive"),
        ("director", "strategist"),
    ],
)
def test_director_and_above_are_admitted_into_their_tier(level: str, tier: str) -> None:
    policy = make_policy()

    verdict = evaluate(policy, level, "jane.doe@bigco.com")

    assert verdict.eligible
    assert verdict.failed_rule == ""
    assert tier_slug_for(policy, level) == tier


@pytest.mark.parametrize(("level", "label"), [("manager", "Manager"), ("individual", "Individual")])
def test_levels_below_director_are_refused_naming_the_level_rule(level: str, label: str) -> None:
    verdict = evaluate(make_policy(version=7), level, "jane.doe@bigco.com")

    assert not verdict.eligible
    assert verdict.failed_rule.startswith("Level:")
    assert "version 7" in verdict.failed_rule
    assert "C-Suite, EVP, SVP, VP, Director" in verdict.failed_rule
    assert label in verdict.failed_rule
    assert tier_slug_for(make_policy(), level) is None


@pytest.mark.parametrize("domain", ["gmail.com", "yahoo.com", "outlook.com", "icloud.com"])
def test_personal_mail_domains_are_refused_naming_the_email_rule(domain: str) -> None:
    verdict = evaluate(make_policy(), "c_suite", f"jane.doe@{domain}")

    assert not verdict.eligible
    assert verdict.failed_rule.startswith("Work email:")
    assert domain in verdict.failed_rule


def test_blocked_domain_check_ignores_case() -> None:
    verdict = evaluate(make_policy(), "vp", "Jane.Doe@GMail.COM")

    assert not verdict.eligible
    assert "gmail.com" in verdict.failed_rule


def test_a_subdomain_of_a_work_domain_is_not_mistaken_for_a_blocked_one() -> None:
    # "mail.com" is blocked; a company mail host ending in it is not the same domain.
    assert evaluate(make_policy(), "vp", "jane@corp-mail.com").eligible
    assert evaluate(make_policy(), "vp", "jane@gmail.company.com").eligible


def test_the_level_rule_is_reported_before_the_email_rule() -> None:
    verdict = evaluate(make_policy(), "manager", "someone@gmail.com")

    assert verdict.failed_rule.startswith("Level:")


def test_a_policy_that_admits_only_some_levels_is_applied_as_written() -> None:
    policy = make_policy(
        version=3,
        admitted_levels=["c_suite", "evp"],
        level_tiers={"c_suite": "council", "evp": "council"},
        blocked_email_domains=[],
    )

    assert evaluate(policy, "evp", "jane@gmail.com").eligible  # no blocked domains in v3
    refused = evaluate(policy, "svp", "jane@bigco.com")
    assert not refused.eligible
    assert "version 3" in refused.failed_rule
    assert "C-Suite, EVP;" in refused.failed_rule
    assert Level.SVP.label in refused.failed_rule
    assert tier_slug_for(policy, "svp") is None


def test_a_policy_admitting_nothing_says_so() -> None:
    verdict = evaluate(make_policy(admitted_levels=[], level_tiers={}), "c_suite", "a@bigco.com")

    assert not verdict.eligible
    assert "no level" in verdict.failed_rule
