"""What a member's data export holds: everything they made or that is about them, section by
section, each a list of flat rows (written as JSON and as CSV by ``members/export.py``).

What another member may not see stays out. The member's own words are theirs, so every post,
thread title and message they wrote is in, even where the thread is now above their tier,
held or deleted. Other people's words and names are not: the title of a thread they replied
to, a poll's question, an event's title, a resource's title appear only while the member may
still see that object (``access``); otherwise the row keeps its id and says the object is out
of sight. Conversations list the member's own side (when they joined, left, muted); the other
participants are counted, not named, and their messages are not copied.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import or_, select

from community.core.audit import AuditEntry
from community.extensions import db
from community.members import export_activity as activity
from community.members import export_pictures
from community.members.account_models import RecoveryCode
from community.members.export_activity import Row, iso
from community.members.models import Member, MemberSession
from community.membership.models import (
    Invitation,
    LevelChangeRequest,
    MembershipRequest,
    Nomination,
)
from community.notifications.models import NotificationSetting


def collect(member: Member) -> dict[str, list[Row]]:
    """Every section of the export, by file name (without extension)."""
    return {name: build(member) for name, build in SECTIONS.items()}


def profile(member: Member) -> list[Row]:
    return [
        {
            "id": member.id,
            "name": member.name,
            "handle": member.handle,
            "email": member.email,
            "title": member.title,
            "company": member.company,
            "level": member.level,
            "region": member.region,
            "profile_url": member.profile_url,
            "bio": member.bio,
            "interests": " ".join(interest.tag for interest in member.interests),
            "has_photo": bool(member.photo),
            "tier": member.tier.slug,
            "role": member.role,
            "status": member.status,
            "member_since": iso(member.created_at),
            "last_seen_at": iso(member.last_seen_at),
            "guidelines_accepted_at": iso(member.guidelines_accepted_at),
            "two_step_sign_in": member.uses_two_factor,
            "recovery_codes_left": len(
                db.session.scalars(
                    select(RecoveryCode.id).where(
                        RecoveryCode.member_id == member.id, RecoveryCode.used_at.is_(None)
                    )
                ).all()
            ),
        }
    ]


def preferences(member: Member) -> list[Row]:
    rows: list[Row] = [
        {"setting": "time_zone", "value": member.time_zone or ""},
        {"setting": "directory_visibility", "value": member.directory_visibility},
        {"setting": "contact_preference", "value": member.contact_preference},
    ]
    settings = db.session.scalars(
        select(NotificationSetting)
        .where(NotificationSetting.member_id == member.id)
        .order_by(NotificationSetting.kind)
    )
    rows.extend(
        {"setting": f"notifications.{setting.kind}", "value": setting.channel}
        for setting in settings
    )
    return rows


def membership(member: Member) -> list[Row]:
    """Their request to join and its decision, level changes asked for, and nominations."""
    rows: list[Row] = []
    requests = db.session.scalars(
        select(MembershipRequest)
        .join(Invitation, Invitation.request_id == MembershipRequest.id)
        .where(Invitation.member_id == member.id)
    )
    rows.extend(
        {
            "what": "request to join",
            "at": iso(request.created_at),
            "details": f"{request.name} <{request.email}>, {request.title}, {request.company}, "
            f"{request.region}: {request.reason}",
            "status": request.status,
            "decided_at": iso(request.decided_at),
        }
        for request in requests
    )
    changes = db.session.scalars(
        select(LevelChangeRequest)
        .where(LevelChangeRequest.member_id == member.id)
        .order_by(LevelChangeRequest.id)
    )
    rows.extend(
        {
            "what": "level change",
            "at": iso(change.created_at),
            "details": f"{change.from_level} to {change.to_level}",
            "status": change.status,
            "decided_at": "",
        }
        for change in changes
    )
    nominations = db.session.scalars(
        select(Nomination).where(Nomination.referrer_id == member.id).order_by(Nomination.id)
    )
    rows.extend(
        {
            "what": "nomination",
            "at": iso(nomination.created_at),
            "details": nomination.email,
            "status": "",
            "decided_at": "",
        }
        for nomination in nominations
    )
    return rows


def sessions(member: Member) -> list[Row]:
    records = db.session.scalars(
        select(MemberSession)
        .where(MemberSession.member_id == member.id)
        .order_by(MemberSession.created_at)
    )
    return [
        {
            "browser": record.browser,
            "ip_address": record.ip_address,
            "signed_in_at": iso(record.created_at),
            "last_seen_at": iso(record.last_seen_at),
            "expires_at": iso(record.expires_at),
        }
        for record in records
    ]


def audit(member: Member) -> list[Row]:
    """What the audit log holds about the member or records them doing. Labels are left
    out: a moderator's entries name other members."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.actor_id == member.id,
                (AuditEntry.target_type == "member") & (AuditEntry.target_id == member.id),
            )
        )
        .order_by(AuditEntry.id)
    )
    rows = []
    for entry in entries:
        about_you = entry.target_type == "member" and entry.target_id == member.id
        rows.append(
            {
                "at": iso(entry.created_at),
                "action": entry.action,
                "by_you": entry.actor_id == member.id,
                "target_type": entry.target_type,
                "target_id": entry.target_id or "",
                "reason": entry.reason if about_you else "",
            }
        )
    return rows


SECTIONS: dict[str, Callable[[Member], list[Row]]] = {
    "profile": profile,
    "preferences": preferences,
    "threads_started": activity.threads_started,
    "posts": activity.posts,
    "pictures": export_pictures.pictures,
    "reactions_given": activity.reactions_given,
    "poll_votes": activity.poll_votes,
    "library": activity.library,
    "rsvps": activity.rsvps,
    "watches": activity.watches,
    "notifications": activity.notifications,
    "conversations": activity.conversations,
    "messages": activity.messages,
    "introductions": activity.introductions,
    "membership": membership,
    "sessions": sessions,
    "audit": audit,
}
