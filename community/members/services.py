"""Accounts: passwords, sign-in checks, password reset, owners made from the command line."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.domain_events import MemberChanged
from community.core.emails import check_email, normalize_email
from community.core.errors import DomainError
from community.core.events import commit, publish
from community.core.mail import send_email
from community.core.outbox import enqueue_task
from community.core.security import hash_token, new_token
from community.core.timefmt import when_text
from community.core.urls import external_url
from community.extensions import db
from community.members.models import Member, MemberStatus, PasswordResetToken, Role, Tier

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
RESET_TOKEN_LIFETIME = timedelta(hours=1)
PASSWORD_RESET_TASK = "members.password_reset"  # noqa: S105 - a task name
SIGN_IN_FAILED = "That email and password do not match a member account."


def hash_password(password: str) -> str:
    """Hash with ``PASSWORD_HASH_METHOD``: scrypt unless told otherwise (the tests use a single
    PBKDF2 round, since scrypt is slow on purpose and most tests sign someone in)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    """Checked against when the email is unknown, so both answers take the same time."""
    return generate_password_hash("not-a-real-password-for-timing", method=method)


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(f"Use at least {MIN_PASSWORD_LENGTH} characters.", field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(f"Use at most {MAX_PASSWORD_LENGTH} characters.", field=field)
    if len(set(password)) < 5:
        raise DomainError("That password is too easy to guess.", field=field)


def make_handle(name: str) -> str:
    """A free @handle from a name: "Olivia O'Neil" -> "olivia.oneil", then "olivia.oneil2"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    base = ".".join(words)[:26].strip(".") or "member"
    taken = set(db.session.scalars(select(Member.handle).where(Member.handle.startswith(base))))
    handle, n = base, 1
    while handle in taken:
        n += 1
        handle = f"{base}{n}"
    return handle


def get_member_by_handle(handle: str) -> Member | None:
    """By handle as people type it: with or without the @, in any case."""
    handle = handle.strip().lstrip("@").lower()
    return db.session.scalars(select(Member).where(Member.handle == handle)).first()


def get_member_by_email(email: str) -> Member | None:
    return db.session.scalars(select(Member).where(Member.email == normalize_email(email))).first()


def authenticate(email: str, password: str) -> Member:
    """The member these credentials belong to, or an error that does not say which was wrong."""
    member = get_member_by_email(email)
    if member is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        raise DomainError(SIGN_IN_FAILED)
    if not check_password_hash(member.password_hash, password):
        raise DomainError(SIGN_IN_FAILED)
    # Past this point the person has proven who they are, so their status may be named.
    if member.status == MemberStatus.REVOKED:
        raise DomainError("Your membership has been revoked. Contact the council's owners.")
    if not member.is_active:
        until = member.suspended_until
        raise DomainError(
            "Your membership is suspended"
            + (f" until {when_text(until, 'long_datetime', member.time_zone)}." if until else ".")
        )
    if member.status == MemberStatus.SUSPENDED:  # the suspension has run out
        member.status = MemberStatus.ACTIVE.value
        member.suspended_until = None
        publish(MemberChanged(member_id=member.id))
    member.last_seen_at = utcnow()
    commit()
    return member


def ask_for_password_reset(email: str) -> None:
    """Queue a reset for this address. The request does only this, known address or not, so
    its timing tells nothing; the worker runs ``request_password_reset``."""
    enqueue_task(PASSWORD_RESET_TASK, email=normalize_email(email))
    commit()


def request_password_reset(email: str) -> None:
    """Email a reset link if the address belongs to an active member; say nothing either way.

    Runs in the worker (the queued half of ``ask_for_password_reset``)."""
    member = get_member_by_email(email)
    if member is None or not member.is_active:
        return
    token, token_hash = new_token()
    db.session.add(
        PasswordResetToken(
            member=member, token_hash=token_hash, expires_at=utcnow() + RESET_TOKEN_LIFETIME
        )
    )
    send_email(
        member.email,
        "Reset your Council password",
        "password_reset",
        member=member,
        url=external_url("members.reset_password", token=token),
        hours=int(RESET_TOKEN_LIFETIME.total_seconds() // 3600),
    )
    commit()


def check_reset_token(token: str) -> PasswordResetToken:
    reset = db.session.scalars(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))
    ).first()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        raise DomainError(
            "This reset link is not valid any more. Ask for a new one; links work once, "
            "for an hour."
        )
    if not reset.member.is_active:
        raise DomainError("This account cannot sign in.")
    return reset


def reset_password(token: str, password: str) -> Member:
    """Set a new password from a reset link, and sign out every other session."""
    reset = check_reset_token(token)
    check_password_strength(password)
    member = reset.member
    member.password_hash = hash_password(password)
    member.session_version += 1
    void_reset_links(member)
    record_audit(member, "member.password_reset", "member", member.id, target_label=member.email)
    commit()
    return member


def void_reset_links(member: Member) -> None:
    """Spend every outstanding reset link of a member: once the password changes, a link
    still lying in a mailbox (or leaked from one) must not change it again."""
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.member_id == member.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def create_owner(email: str, name: str, password: str, level: str = "c_suite") -> Member:
    """Create (or promote) an owner from the command line, in the highest tier."""
    check_password_strength(password)
    tiers = list(db.session.scalars(select(Tier).order_by(Tier.rank.desc())))
    if not tiers:
        raise DomainError("No tiers exist yet: run `community db upgrade` and `community demo`.")
    email = check_email(email)
    member = get_member_by_email(email)
    if member is None:
        member = Member(email=email, level=level, handle=make_handle(name))
        db.session.add(member)
    member.name = name
    member.role = Role.OWNER.value
    member.tier = tiers[0]
    member.status = MemberStatus.ACTIVE.value
    member.password_hash = hash_password(password)
    member.guidelines_accepted_at = utcnow()
    db.session.flush()
    void_reset_links(member)
    record_audit(None, "member.owner_created", "member", member.id, target_label=email)
    publish(MemberChanged(member_id=member.id))
    commit()
    return member
