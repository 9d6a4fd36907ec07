"""The member's own account: password, email address and time zone.

Each change needs the current password where a stolen session could otherwise take the account
over (a new password, a new address). An email change takes effect only when the link mailed to
the new address is opened, and the old address is told, so a hijacker cannot quietly move the
account to a mailbox of theirs.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from zoneinfo import available_timezones

from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.emails import check_email
from community.core.errors import DomainError, NotFound
from community.core.events import commit
from community.core.mail import send_email
from community.core.security import hash_token, new_token
from community.core.urls import external_url
from community.extensions import db
from community.members.account_models import EmailChangeToken
from community.members.models import Member
from community.members.services import (
    check_password_strength,
    get_member_by_email,
    hash_password,
    void_reset_links,
)
from community.members.sessions import void_other_sessions

EMAIL_CHANGE_LIFETIME = timedelta(hours=24)
WRONG_PASSWORD = "That is not your current password."  # noqa: S105 - a message
EMAIL_LINK_INVALID = (
    "This link is not valid any more. Links work once, for 24 hours, and only the newest one "
    "you asked for; ask again from your account settings."
)


def check_current_password(member: Member, password: str, field: str = "current_password") -> None:
    if not check_password_hash(member.password_hash, password or ""):
        raise DomainError(WRONG_PASSWORD, field=field)


def change_password(member: Member, current_password: str, new_password: str) -> None:
    """Set a new password and sign out every other session; the one in use stays signed in."""
    check_current_password(member, current_password)
    check_password_strength(new_password)
    member.password_hash = hash_password(new_password)
    void_other_sessions(member)
    void_reset_links(member)
    record_audit(member, "member.password_changed", "member", member.id, target_label=member.email)
    commit()


def request_email_change(member: Member, new_email: str, password: str) -> str:
    """Mail a confirmation link to the new address and a notice to the old one; nothing
    changes until the link is opened. Returns the normalized new address."""
    check_current_password(member, password, field="email_password")
    email = check_email(new_email, field="new_email")
    if email == member.email:
        raise DomainError("That is already your address.", field="new_email")
    # The member is signed in and proved the password, so saying so reveals nothing to a
    # stranger; a quiet "link sent" would leave them waiting for mail that never comes.
    if get_member_by_email(email) is not None:
        raise DomainError("That address is in use by another member account.", field="new_email")
    _void_email_links(member)
    token, token_hash = new_token()
    expires_at = utcnow() + EMAIL_CHANGE_LIFETIME
    db.session.add(
        EmailChangeToken(
            member=member, new_email=email, token_hash=token_hash, expires_at=expires_at
        )
    )
    zone = member.time_zone or "UTC"
    send_email(
        email,
        "Confirm your new Council address",
        "email_change_confirm",
        member=member,
        url=external_url("account.confirm_email_change", token=token),
        expires_at=expires_at,
        zone=zone,
    )
    send_email(
        member.email,
        "Your Council address is about to change",
        "email_change_notice",
        member=member,
        new_email=email,
        expires_at=expires_at,
        zone=zone,
    )
    commit()
    return email


def _void_email_links(member: Member) -> None:
    """Spend every outstanding email-change link: only the newest request may take effect."""
    db.session.execute(
        update(EmailChangeToken)
        .where(EmailChangeToken.member_id == member.id, EmailChangeToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def check_email_change_token(member: Member, token: str) -> EmailChangeToken:
    """The member's live email-change link. Someone else's link answers as if it did not exist."""
    change = db.session.scalars(
        select(EmailChangeToken).where(EmailChangeToken.token_hash == hash_token(token))
    ).first()
    if change is None or change.member_id != member.id:
        raise NotFound(EMAIL_LINK_INVALID)
    if change.used_at is not None or change.expires_at <= utcnow():
        raise DomainError(EMAIL_LINK_INVALID)
    return change


def confirm_email_change(member: Member, token: str) -> None:
    """Move the account to the address the link was mailed to (it proved it receives mail)."""
    change = check_email_change_token(member, token)
    if get_member_by_email(change.new_email) is not None:  # taken since the link was sent
        raise DomainError("That address is in use by another member account now.")
    old_email = member.email
    member.email = change.new_email
    change.used_at = utcnow()
    # Reset links went to the old mailbox; they must not reopen the account from there.
    void_reset_links(member)
    record_audit(
        member,
        "member.email_changed",
        "member",
        member.id,
        target_label=member.email,
        old_email=old_email,
    )
    commit()


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def time_zone_groups() -> dict[str, list[tuple[str, str]]]:
    """IANA zones by region for a grouped select: {"Europe": [("Europe/Paris", "Paris"), ...]},
    with UTC first; the legacy aliases (EST5EDT, Etc/GMT+3, ...) left out."""
    groups: dict[str, list[tuple[str, str]]] = {"UTC": [("UTC", "UTC")]}
    for name in sorted(time_zone_names()):
        region, _, place = name.partition("/")
        if not place or region in ("Etc", "SystemV", "US"):
            continue
        groups.setdefault(region, []).append((name, place.replace("_", " ").replace("/", " / ")))
    return groups


def set_time_zone(member: Member, zone_name: str) -> None:
    """Show every time to the member in this IANA zone."""
    if zone_name not in time_zone_names():
        raise DomainError("Choose a time zone from the list.", field="time_zone")
    member.time_zone = zone_name
    commit()
