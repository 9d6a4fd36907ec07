"""The access module: tier comparisons and who may act on whom."""

import pytest

from community import access
from tests import factories


@pytest.mark.parametrize(
    ("member_tier", "min_tier", "admitted"),
    [
        ("council", "council", True),
        ("council", "strategist", True),
        ("executive", "council", False),
        ("executive", "executive", True),
        ("strategist", "executive", False),
    ],
)
def test_a_member_sees_what_their_tier_reaches(app, member_tier, min_tier, admitted):
    member = factories.make_member(tier_slug=member_tier)
    assert access.tier_admits(member, factories.tier(min_tier)) is admitted


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("owner", "moderator", True),
        ("owner", "member", True),
        ("owner", "owner", False),
        ("moderator", "member", True),
        ("moderator", "editor", True),
        ("moderator", "moderator", False),
        ("moderator", "owner", False),
        ("editor", "member", False),
        ("member", "member", False),
    ],
)
def test_only_a_more_powerful_moderator_acts_on_a_member(app, actor, target, allowed):
    assert (
        access.can_act_on_member(factories.make_member(actor), factories.make_member(target))
        is allowed
    )


def test_nobody_acts_on_themselves(app):
    owner = factories.make_member("owner")
    assert not access.can_act_on_member(owner, owner)
