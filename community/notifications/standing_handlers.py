"""A member's standing changed (an owner gave them a role or moved their tier): tell them."""

from __future__ import annotations

from community.core.domain_events import RoleChanged, TierChanged
from community.core.events import subscribe
from community.core.urls import path_for
from community.extensions import db
from community.members.models import Member, Role, Tier
from community.notifications.services import Draft, notify

# What the member reads, per new role.
ROLE_NEWS = {
    Role.MEMBER: "You are no longer on the council's staff: your role is now member",
    Role.EDITOR: "You are now an editor of the library",
    Role.MODERATOR: "You are now a moderator of every community",
    Role.OWNER: "You are now an owner of the council",
}


def on_role_changed(event: RoleChanged) -> None:
    member = db.session.get(Member, event.member_id)
    if member is None:
        return
    notify(
        [member.id],
        Draft(
            kind="standing",
            text=ROLE_NEWS[Role(event.role)],
            url=path_for("profiles.profile", member_id=member.id),
        ),
    )


def on_tier_changed(event: TierChanged) -> None:
    tier = db.session.get(Tier, event.tier_id)
    if tier is None:
        return
    notify(
        [event.member_id],
        Draft(
            kind="standing",
            text=f"You are now in the {tier.name} tier",
            url=path_for("profiles.profile", member_id=event.member_id),
        ),
    )


def subscribe_all() -> None:
    # One known recipient each: right after the commit.
    subscribe(RoleChanged, on_role_changed)
    subscribe(TierChanged, on_tier_changed)
