"""Owners' announcements: one notice to every active member, or to those whose tier reaches a
chosen one (as every tiered object in the council is read), from the console or the CLI.

``announce`` checks the text and link, writes the audit entry and queues the delivery; the job
runner then hands the notice to ``notify``, which stores it for each member and emails those
who asked for email, in batches, so a request never waits on two thousand members.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from community import access
from community.core.audit import record_audit
from community.core.domain_events import AnnouncementMade
from community.core.errors import DomainError
from community.core.events import commit, publish
from community.core.outbox import subscribe_queued
from community.extensions import db
from community.members.models import Member, MemberStatus, Tier
from community.notifications.services import Draft, notify

MAX_LENGTH = 300


@dataclass(frozen=True)
class Announcement:
    """A checked announcement and who it reaches, as the preview shows it."""

    text: str
    url: str
    tier: Tier | None
    audience_size: int

    @property
    def audience(self) -> str:
        if self.tier is None:
            return "every active member"
        return f"active members of the {self.tier.name} tier and above"


def _audience_filter(tier: Tier | None) -> Any:
    active = Member.status == MemberStatus.ACTIVE
    return active if tier is None else active & access.tier_readers_filter(tier)


def prepare_announcement(text: str, url: str = "/", tier_slug: str = "") -> Announcement:
    """Check an announcement and count its audience, without sending anything."""
    text = text.strip()
    url = url.strip() or "/"
    if not text or len(text) > MAX_LENGTH or "\n" in text:
        raise DomainError("An announcement is one line of 1 to 300 characters.", field="text")
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        raise DomainError("The link must be a path on this site, such as /c/.", field="url")
    tier = None
    if tier_slug:
        tier = db.session.scalars(select(Tier).where(Tier.slug == tier_slug)).first()
        if tier is None:
            raise DomainError("Choose one of the tiers offered.", field="tier")
    size = db.session.scalar(select(func.count(Member.id)).where(_audience_filter(tier))) or 0
    return Announcement(text=text, url=url, tier=tier, audience_size=size)


def announce(
    text: str, url: str = "/", tier_slug: str = "", *, author: Member | None = None
) -> int:
    """Send an announcement (``author``: the owner in the console; None from the CLI, whose
    shell is trusted); returns the size of its audience. Audit-logged; delivered by the job
    runner after the commit."""
    if author is not None:
        access.check_owner(author)
    announcement = prepare_announcement(text, url, tier_slug)
    record_audit(
        author,
        "announcement.sent",
        "announcement",
        None,
        target_label=announcement.audience,
        text=announcement.text,
        url=announcement.url,
        audience_size=announcement.audience_size,
    )
    publish(
        AnnouncementMade(
            text=announcement.text,
            url=announcement.url,
            tier_id=announcement.tier.id if announcement.tier else None,
        )
    )
    commit()
    return announcement.audience_size


def deliver_announcement(event: AnnouncementMade) -> None:
    tier = db.session.get(Tier, event.tier_id) if event.tier_id is not None else None
    if event.tier_id is not None and tier is None:
        return  # the tier was removed since: nobody is left to tell
    recipients = db.session.scalars(select(Member.id).where(_audience_filter(tier)))
    notify(recipients, Draft(kind="announcement", text=event.text, url=event.url))


def subscribe_all() -> None:
    subscribe_queued(AnnouncementMade, deliver_announcement)
