"""Two-step sign-in with TOTP (RFC 6238) and single-use recovery codes.

The TOTP secret is stored encrypted (Fernet, with a key derived from ``SECRET_KEY``), so a
copy of the database or a backup alone does not let anyone mint codes; it is never logged.
Rotating ``SECRET_KEY`` therefore means members re-enrol. Recovery codes are random, so a
SHA-256 of each is enough at rest. Each accepted code's time step is stored, and only a later
step is accepted next, so a code seen over a shoulder cannot be replayed within its window.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, select

from community import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.errors import DomainError
from community.core.events import commit
from community.extensions import db
from community.members.account import check_current_password
from community.members.account_models import RecoveryCode
from community.members.models import Member

STEP_SECONDS = 30
# Codes from one step either side of now are accepted: phone clocks drift.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
ISSUER = "Council"
WRONG_CODE = "That code is not right, or it was used already. Try the newest code."


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the secret as text and as a QR code."""

    secret: str
    uri: str
    qr_svg: Markup


def _box() -> Fernet:
    key = hashlib.sha256(b"council/totp-secret/" + current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key.digest()))


def _secret(member: Member) -> str | None:
    if member.totp_secret is None:
        return None
    try:
        return _box().decrypt(member.totp_secret.encode()).decode()
    except InvalidToken:  # encrypted under another SECRET_KEY
        return None


def get_member_waiting_for_code(member_id: int, session_version: int) -> Member | None:
    """The member a pending sign-in names, if a code may still let them in."""
    member = db.session.get(Member, member_id)
    if (
        member is None
        or member.session_version != session_version
        or not member.is_active
        or not member.uses_two_factor
    ):
        return None
    return member


def must_enrol(member: Member) -> bool:
    """Staff without two-step sign-in, when the site requires it of them."""
    return is_required_of(member) and not member.uses_two_factor


def start_enrolment(member: Member) -> None:
    """Give the member a new secret to add to their authenticator app; it is in force only
    once ``confirm_enrolment`` sees a first code from it."""
    if member.uses_two_factor:
        raise DomainError("Two-step sign-in is on already.")
    member.totp_secret = _box().encrypt(pyotp.random_base32().encode()).decode()
    member.totp_last_step = None
    commit()


def get_enrolment(member: Member) -> Enrolment | None:
    """The secret being enrolled, or None when enrolment has not started (or is done)."""
    secret = _secret(member)
    if member.uses_two_factor or secret is None:
        return None
    uri = pyotp.TOTP(secret).provisioning_uri(name=member.email, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff", omitsize=True)
    return Enrolment(secret=secret, uri=uri, qr_svg=Markup(svg))  # noqa: S704 - segno's own SVG


def confirm_enrolment(member: Member, code: str) -> list[str]:
    """Turn two-step sign-in on once a first code matches; returns the recovery codes, which
    are shown this once and stored only hashed."""
    if member.uses_two_factor or _secret(member) is None:
        raise DomainError("Start the set-up again.", field="code")
    if not _accept_totp(member, code):
        raise DomainError(WRONG_CODE, field="code")
    member.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(member)
    record_audit(
        member, "member.two_factor_enabled", "member", member.id, target_label=member.email
    )
    commit()
    return codes


def _normalize(code: str) -> str:
    return "".join(char for char in (code or "").lower() if char.isalnum())


def _accept_totp(member: Member, code: str) -> bool:
    """Whether ``code`` is the member's code for a step near now that is later than the last
    one used; if so that step is recorded (by the caller's commit)."""
    secret = _secret(member)
    code = _normalize(code)
    if secret is None or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(secret)
    now_step = int(utcnow().timestamp()) // STEP_SECONDS
    last = member.totp_last_step if member.totp_last_step is not None else -1
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if step > last and hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            member.totp_last_step = step
            return True
    return False


def _hash_code(code: str) -> str:
    return hashlib.sha256(_normalize(code).encode()).hexdigest()


def _new_recovery_codes(member: Member) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(member_id=member.id, code_hash=_hash_code(raw)))
    return codes


def _accept_recovery_code(member: Member, code: str) -> bool:
    if len(_normalize(code)) != 10:
        return False
    match = db.session.scalars(
        select(RecoveryCode).where(
            RecoveryCode.member_id == member.id,
            RecoveryCode.code_hash == _hash_code(code),
            RecoveryCode.used_at.is_(None),
        )
    ).first()
    if match is None:
        return False
    match.used_at = utcnow()
    return True


def check_second_factor(member: Member, code: str) -> str:
    """Spend a code from the authenticator app or a recovery code; returns which kind it was
    ("app" or "recovery"). A wrong or used code is a ``DomainError``."""
    kind = spend_code(member, code)
    commit()
    return kind


def spend_code(member: Member, code: str) -> str:
    """``check_second_factor`` in the caller's unit of work (deleting the account asks too)."""
    if not member.uses_two_factor:
        raise DomainError("Two-step sign-in is not on for this account.", field="code")
    if _accept_totp(member, code):
        kind = "app"
    elif _accept_recovery_code(member, code):
        kind = "recovery"
        record_audit(member, "member.recovery_code_used", "member", member.id)
    else:
        raise DomainError(WRONG_CODE, field="code")
    return kind


def count_recovery_codes_left(member: Member) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.member_id == member.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def disable(member: Member, password: str, code: str) -> None:
    """Turn two-step sign-in off, after the password and a current code (or recovery code)."""
    check_current_password(member, password, field="password")
    if is_required_of(member):
        raise DomainError("Your role requires two-step sign-in, so it stays on.")
    spend_code(member, code)
    turn_off(member)
    record_audit(
        member, "member.two_factor_disabled", "member", member.id, target_label=member.email
    )
    commit()


def turn_off(member: Member) -> None:
    """Forget the member's secret and recovery codes, in the caller's unit of work."""
    member.totp_secret = None
    member.totp_enabled_at = None
    member.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))


def is_required_of(member: Member) -> bool:
    """Whether the site requires two-step sign-in of this member (staff, when configured)."""
    return bool(current_app.config["REQUIRE_2FA_FOR_STAFF"]) and access.must_use_two_factor(member)


def regenerate_recovery_codes(member: Member, code: str) -> list[str]:
    """A fresh set of recovery codes (the old ones stop working), after a current code."""
    spend_code(member, code)
    codes = _new_recovery_codes(member)
    record_audit(member, "member.recovery_codes_renewed", "member", member.id)
    commit()
    return codes
