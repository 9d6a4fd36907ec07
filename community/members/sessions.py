"""Signed-in sessions, one record per browser or device.

A session cookie (and a remember-me cookie) carries a random token; only its hash is stored.
A cookie lets its holder in while its record exists, has not expired, was made under the
member's current ``session_version`` and the member may sign in. So signing out (here or from
another device) deletes one record and a copied cookie dies with it, and revocation,
suspension or a password reset bump the version and void every record at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, or_, select

from community.core.clock import utcnow
from community.core.domain_events import MemberSignedOut
from community.core.errors import NotFound
from community.core.events import commit, publish
from community.core.security import hash_token, new_token
from community.extensions import db
from community.members.models import Member, MemberSession

# A session without "keep me signed in" still ends after this, even in a browser left open.
SESSION_LIFETIME = timedelta(days=14)
# How stale "last seen" may be: it is written at most this often, not on every request.
LAST_SEEN_EVERY = timedelta(minutes=5)

_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari")]  # fmt: skip
_SYSTEMS = [("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux")]  # fmt: skip


def describe_browser(user_agent: str) -> str:
    """ "Firefox on Windows" from a User-Agent header, enough to tell one's devices apart."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or re.sub(r"[^\w ./-]", "", user_agent)[:40] or "Unknown browser"


def start_session(
    member: Member, *, remember: bool = False, user_agent: str = "", ip_address: str = ""
) -> str:
    """Record a new signed-in session and return its token, for the browser's cookies."""
    now = utcnow()
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"] if remember else SESSION_LIFETIME
    # Tidy this member's dead records on the way: expired ones and those voided by a version bump.
    db.session.execute(
        delete(MemberSession).where(
            MemberSession.member_id == member.id,
            or_(
                MemberSession.expires_at <= now,
                MemberSession.session_version != member.session_version,
            ),
        )
    )
    token, key_hash = new_token()
    record = MemberSession(
        member=member,
        key_hash=key_hash,
        session_version=member.session_version,
        last_seen_at=now,
        expires_at=now + lifetime,
        browser=describe_browser(user_agent),
        ip_address=(ip_address or "")[:45],
        remember=remember,
    )
    db.session.add(record)
    commit()
    member.session_token, member.current_session = token, record
    return token


def _is_live(record: MemberSession | None) -> bool:
    return (
        record is not None
        and record.expires_at > utcnow()
        and record.session_version == record.member.session_version
        and record.member.is_active
    )


def load_member_for_session(token: str) -> Member | None:
    """The member a session cookie names, if that session is still live and they may be in."""
    record = db.session.scalars(
        select(MemberSession).where(MemberSession.key_hash == hash_token(token))
    ).first()
    if not _is_live(record):
        return None
    assert record is not None
    member = record.member
    member.session_token, member.current_session = token, record
    return member


def note_activity(member: Member) -> None:
    """Move the current session's "last seen" on, at most every few minutes."""
    record = member.current_session
    if record is None or record.last_seen_at > utcnow() - LAST_SEEN_EVERY:
        return
    record.last_seen_at = utcnow()
    commit()


def list_sessions(member: Member) -> list[MemberSession]:
    """The member's live sessions, the most recently used first."""
    records = db.session.scalars(
        select(MemberSession)
        .where(MemberSession.member_id == member.id)
        .order_by(MemberSession.last_seen_at.desc(), MemberSession.id.desc())
    )
    return [record for record in records if _is_live(record)]


def get_live_session_hashes(key_hashes: Iterable[str]) -> set[str]:
    """Which of these sessions are still live: the socket sweep cuts the others."""
    records = db.session.scalars(
        select(MemberSession).where(MemberSession.key_hash.in_(set(key_hashes)))
    )
    return {record.key_hash for record in records if _is_live(record)}


def _end(records: Iterable[MemberSession]) -> int:
    ended = 0
    for record in records:
        publish(MemberSignedOut(member_id=record.member_id, session_hash=record.key_hash))
        db.session.delete(record)
        ended += 1
    commit()
    return ended


def sign_out(member: Member) -> None:
    """End the session the member is using now (its cookies are cleared by the caller)."""
    if member.current_session is not None:
        _end([member.current_session])


def end_session(member: Member, session_id: int) -> None:
    """Sign one of the member's own sessions out; anyone else's answers as if it did not exist."""
    record = db.session.get(MemberSession, session_id)
    if record is None or record.member_id != member.id:
        raise NotFound("There is no such session.")
    _end([record])


def void_other_sessions(member: Member) -> None:
    """Sign out every session of the member but the current one, in the caller's unit of work:
    the version bump voids any session record (and copied cookie) this request cannot see,
    and the current session is re-stamped with the new version so it stays in."""
    member.session_version += 1
    current = member.current_session
    if current is not None:
        current.session_version = member.session_version
    others = db.session.scalars(
        select(MemberSession).where(
            MemberSession.member_id == member.id,
            MemberSession.id != (current.id if current is not None else None),
        )
    )
    for record in list(others):
        publish(MemberSignedOut(member_id=record.member_id, session_hash=record.key_hash))
        db.session.delete(record)


def end_other_sessions(member: Member) -> int:
    """Sign out every session of the member but the current one; returns how many ended."""
    current_id = member.current_session.id if member.current_session is not None else None
    records = db.session.scalars(
        select(MemberSession).where(
            MemberSession.member_id == member.id, MemberSession.id != current_id
        )
    )
    return _end(list(records))
