"""Members: the people inside, their tier, role, status and credentials."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.clock import utcnow
from community.core.models import CreatedAtMixin, UTCDateTime
from community.extensions import Model
from community.members.levels import Level


class Tier(Model):
    """A visibility band. A member sees an object when their tier's rank >= its minimum."""

    __tablename__ = "tier"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    description: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<Tier {self.slug} rank={self.rank}>"


class Role(StrEnum):
    MEMBER = "member"
    EDITOR = "editor"
    MODERATOR = "moderator"
    OWNER = "owner"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    # The member deleted their account: the row is scrubbed of personal data and stays only
    # so that their posts and messages keep an author ("Former member").
    DELETED = "deleted"


class DirectoryVisibility(StrEnum):
    """Who finds the member in the directory and may open their profile page. Whatever it
    says, their posts still show their name, handle and photo to the posts' readers."""

    ALL = "all"
    TIER_AND_ABOVE = "tier"
    HIDDEN = "hidden"

    @property
    def label(self) -> str:
        return VISIBILITY_LABELS[self]


VISIBILITY_LABELS = {
    DirectoryVisibility.ALL: "All members",
    DirectoryVisibility.TIER_AND_ABOVE: "Members of my tier and above",
    DirectoryVisibility.HIDDEN: "Hidden from the directory",
}


class ContactPreference(StrEnum):
    """Who may message a member directly (``access.can_message`` applies it)."""

    NOBODY = "nobody"
    TIER_AND_ABOVE = "tier_and_above"
    ALL_MEMBERS = "all_members"


class Member(UserMixin, CreatedAtMixin, Model):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    # How others @mention the member; unique, lowercase.
    handle: Mapped[str] = mapped_column(String(30), unique=True, index=True)
    title: Mapped[str] = mapped_column(String(120), default="")
    level: Mapped[str] = mapped_column(String(20))
    company: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(80), default="")
    profile_url: Mapped[str] = mapped_column(String(300), default="")
    tier_id: Mapped[int] = mapped_column(ForeignKey("tier.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.MEMBER.value)
    status: Mapped[str] = mapped_column(String(20), default=MemberStatus.ACTIVE.value, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Bumped to sign the member out of every session at once (revocation, password reset):
    # a session record made under an older version no longer lets anyone in.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    guidelines_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # An IANA zone the member chose; None: not chosen, times follow the browser's zone.
    time_zone: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Two-step sign-in (members/two_factor.py): the TOTP secret, encrypted; set from the start
    # of enrolment, in force once ``totp_enabled_at`` is set; the last time step accepted, so
    # a code cannot be used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(255), nullable=True)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The profile (community.members.profiles): plain text, line breaks kept.
    bio: Mapped[str] = mapped_column(Text, default="")
    directory_visibility: Mapped[str] = mapped_column(
        String(20), default=DirectoryVisibility.ALL.value
    )
    # The stem of the member's photo files under instance/photos/ ("" for generated initials).
    photo: Mapped[str] = mapped_column(String(80), default="")
    contact_preference: Mapped[str] = mapped_column(
        String(20), default=ContactPreference.TIER_AND_ABOVE.value
    )

    tier: Mapped[Tier] = relationship(lazy="joined")
    referrer: Mapped[Member | None] = relationship(remote_side=[id])
    interests: Mapped[list[MemberInterest]] = relationship(
        order_by="MemberInterest.tag", cascade="all, delete-orphan", lazy="select"
    )

    # Not columns: the signed-in session this object was loaded for (set by
    # ``community.members.sessions``). Its token is what Flask-Login keeps in the session and
    # remember-me cookies, so a cookie names one session record, which signing out deletes.
    if TYPE_CHECKING:  # annotated for the type checker only: the mapper maps annotations
        session_token: str | None
        current_session: MemberSession | None
    session_token = None
    current_session = None

    def get_id(self) -> str:
        if self.session_token is None:
            raise RuntimeError("Start a session first (community.members.sessions).")
        return self.session_token

    @property
    def is_active(self) -> bool:
        if self.status == MemberStatus.ACTIVE:
            return True
        if self.status == MemberStatus.SUSPENDED and self.suspended_until is not None:
            return self.suspended_until <= utcnow()
        return False

    @property
    def uses_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.email}>"


class MemberInterest(Model):
    """One short tag a member lists as an interest; the directory filters on it in SQL."""

    __tablename__ = "member_interest"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class PasswordResetToken(CreatedAtMixin, Model):
    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    member: Mapped[Member] = relationship()


class MemberSession(CreatedAtMixin, Model):
    """One signed-in browser or device. Only the hash of its token is stored; the token lives
    in that browser's cookies. Deleting the row signs that browser out at once."""

    __tablename__ = "member_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The member's session_version when signing in; a bumped version voids the session.
    session_version: Mapped[int] = mapped_column(Integer)
    # Updated at most every few minutes, not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    browser: Mapped[str] = mapped_column(String(80), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    remember: Mapped[bool] = mapped_column(Boolean, default=False)

    # Joined: loading the signed-in member on each request stays one query.
    member: Mapped[Member] = relationship(lazy="joined")
