"""The versioned membership policy, requests and invitations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import CreatedAtMixin, UTCDateTime
from community.extensions import Model
from community.members.models import Member, Tier


class MembershipPolicy(CreatedAtMixin, Model):
    """One version of the published membership rule. Rows are never edited: a change adds one."""

    __tablename__ = "membership_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    admitted_levels: Mapped[list[str]] = mapped_column(JSON)
    level_tiers: Mapped[dict[str, str]] = mapped_column(JSON)  # level value -> tier slug
    blocked_email_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    nomination_quota: Mapped[int] = mapped_column(Integer, default=5)
    cooldown_days: Mapped[int] = mapped_column(Integer, default=90)
    invitation_days: Mapped[int] = mapped_column(Integer, default=14)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)

    created_by: Mapped[Member | None] = relationship()


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class DeclineCategory(StrEnum):
    LEVEL = "level"
    UNVERIFIED = "unverified"
    VENDOR = "vendor"
    INCOMPLETE = "incomplete"
    OTHER = "other"

    @property
    def label(self) -> str:
        return DECLINE_LABELS[self]


DECLINE_LABELS: dict[DeclineCategory, str] = {
    DeclineCategory.LEVEL: "Role level is below the membership policy",
    DeclineCategory.UNVERIFIED: "Role or company could not be verified",
    DeclineCategory.VENDOR: "Vendor or consultant seeking sales contact",
    DeclineCategory.INCOMPLETE: "Request is incomplete",
    DeclineCategory.OTHER: "Other (explained in the message)",
}


class MembershipRequest(CreatedAtMixin, Model):
    """A request to join (or a member's nomination of a peer), judged against one policy version."""

    __tablename__ = "membership_request"
    __table_args__ = (
        # One open request per email, even under concurrent submissions.
        Index(
            "uq_membership_request_open_email",
            "email",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), index=True)
    title: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(20))
    company: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(80))
    profile_url: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(Text)
    referrer_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id"), nullable=True, index=True
    )
    policy_version: Mapped[int] = mapped_column(Integer)
    eligible: Mapped[bool] = mapped_column(Boolean)
    failed_rule: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.PENDING.value, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    decline_category: Mapped[str | None] = mapped_column(String(20), nullable=True)
    decline_message: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")

    referrer: Mapped[Member | None] = relationship(foreign_keys=[referrer_id])
    decided_by: Mapped[Member | None] = relationship(foreign_keys=[decided_by_id])


class Nomination(CreatedAtMixin, Model):
    """One nomination by a member, whatever became of it. The monthly quota counts these rows,
    so nominating a member's, a waiting or a declined address moves the counter like a new one
    (counting recorded requests would tell the nominator which addresses are known)."""

    __tablename__ = "nomination"
    __table_args__ = (Index("ix_nomination_referrer_id_created_at", "referrer_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referrer_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))


class Invitation(CreatedAtMixin, Model):
    """A single-use invitation. Only the SHA-256 of its token is stored."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("membership_request.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    tier_id: Mapped[int] = mapped_column(ForeignKey("tier.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the owners' metrics counted this invitation as expired (once; a resend clears it).
    expiry_noted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)

    request: Mapped[MembershipRequest] = relationship()
    tier: Mapped[Tier] = relationship()
    invited_by: Mapped[Member | None] = relationship(foreign_keys=[invited_by_id])


class LevelChangeRequest(CreatedAtMixin, Model):
    """A member's new level that the policy places in another tier: it waits for a moderator,
    judged under the policy version recorded here. (A level in the same tier changes at once.)"""

    __tablename__ = "level_change_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    from_level: Mapped[str] = mapped_column(String(20))
    to_level: Mapped[str] = mapped_column(String(20))
    to_tier_id: Mapped[int] = mapped_column(ForeignKey("tier.id"))
    policy_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.PENDING.value, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)

    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    to_tier: Mapped[Tier] = relationship()
    decided_by: Mapped[Member | None] = relationship(foreign_keys=[decided_by_id])
