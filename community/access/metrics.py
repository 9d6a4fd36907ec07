"""Who may read the engagement metrics: owners only. Everyone else is told the page does not
exist, so the dashboard's address reveals nothing to members, moderators or visitors."""

from __future__ import annotations

from typing import Any

from community.access.roles import is_owner
from community.core.errors import NotFound
from community.members.models import Member


def can_see_metrics(member: Member | Any) -> bool:
    return is_owner(member)


def check_can_see_metrics(member: Member | Any) -> None:
    if not can_see_metrics(member):
        raise NotFound()
