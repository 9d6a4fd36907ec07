"""Delete my account: at once, after the password (and the second factor when it is on).

The member row is scrubbed in place rather than deleted or swapped for one shared "Former
member" row. Posts, threads, messages, reactions, poll votes, flags and audit entries keep
pointing at it, so threads and conversations still read in order and counts stay right, and
no table has to be rewritten (a shared tombstone would also collide with the one-per-member
keys of reactions and ballots). After the scrub the row holds no personal data: its name is
"Former member", its handle and address are made from its id, everything else is blank, and
it has no profile page (``access.can_see_profile``).

Everything personal goes in the same transaction: sessions (every device is signed out),
second-factor secrets and recovery codes, reset and email-change links, notifications,
settings, watches, read positions, follows, RSVPs, conversation places, introductions, the
personal fields of their request to join and invitation, unsent mail to them, queued tasks
naming their address, their data exports, and the names other members' notifications and the
audit log quote, and the pictures they pasted that no post shows (those in their posts stay
with the posts, which others read and replied to). Files (photos, exports, pictures) go after
the commit; the search index drops the old name when the queue worker handles
``MemberDeleted``. A member who asks for it takes their posts, threads, messages and every
picture with them (``members/erasure.py``). A last goodbye goes to the old address through
the outbox, which forgets the address once the message is sent.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Text, cast, delete, func, or_, select, update

from community.core.audit import AuditEntry, record_audit
from community.core.clock import utcnow
from community.core.domain_events import MemberDeleted, MemberSignedOut
from community.core.errors import DomainError
from community.core.events import commit, on_commit, publish
from community.core.mail import send_email
from community.core.outbox import QueuedEmail, QueuedTask
from community.events.models import Answer, Rsvp
from community.events.rsvps import lock_event, promote_waiting
from community.extensions import db
from community.forum.image_cleanup import delete_member_images
from community.forum.models import (
    ChapterLead,
    CommunityWatch,
    Mention,
    ReadPosition,
    ThreadWatch,
)
from community.library.models import Completion, TopicFollow
from community.members import photos, two_factor
from community.members.account import check_current_password
from community.members.account_models import EmailChangeToken, RecoveryCode
from community.members.erasure import erase_writing
from community.members.export import export_path, list_exports
from community.members.models import (
    ContactPreference,
    DirectoryVisibility,
    Member,
    MemberInterest,
    MemberSession,
    MemberStatus,
    PasswordResetToken,
    Role,
)
from community.membership.models import (
    Invitation,
    LevelChangeRequest,
    MembershipRequest,
    Nomination,
)
from community.messages.models import ConversationMember, IntroductionRequest
from community.notifications.models import DigestRun, Notification, NotificationSetting
from community.notifications.services import FORMER_MEMBER as notified_as_former

FORMER_MEMBER = "Former member"
# Not a hash of anything: no password ever matches it.
UNUSABLE_PASSWORD = "!"  # noqa: S105
LAST_OWNER = (
    "You are the only owner of this council. Make another member an owner first, then "
    "delete your account."
)


def check_may_delete(member: Member) -> None:
    """An owner may leave only if another active owner remains to run the council."""
    if member.role != Role.OWNER:
        return
    others = db.session.scalar(
        select(func.count(Member.id)).where(
            Member.role == Role.OWNER.value,
            Member.status == MemberStatus.ACTIVE.value,
            Member.id != member.id,
        )
    )
    if not others:
        raise DomainError(LAST_OWNER)


def delete_account(member: Member, password: str, code: str = "", erase: bool = False) -> None:
    """Delete the member's account for good (see the module's docstring for what goes);
    ``erase``: their posts, threads and messages go too (``members/erasure.py``)."""
    check_may_delete(member)
    check_current_password(member, password, field="password")
    if member.uses_two_factor:
        if not code.strip():
            raise DomainError("Enter a code from your app or a recovery code.", field="code")
        two_factor.spend_code(member, code)
    old_email, old_name, photo_stem = member.email, member.name, member.photo
    pending_addresses = list(
        db.session.scalars(
            select(EmailChangeToken.new_email).where(EmailChangeToken.member_id == member.id)
        )
    )
    export_files = [export_path(export) for export in list_exports(member)]

    _end_sessions(member)
    _delete_personal_rows(member)
    _leave_events(member)
    if erase:
        erase_writing(member)
    else:
        delete_member_images(member, unused_only=True)
    _forget_request_to_join(member, old_email)
    _forget_queued_mail(member, [old_email, *pending_addresses])
    _unquote_name(member, old_name, member.handle, old_email)
    _scrub(member)
    record_audit(member, "member.deleted", "member", member.id, target_label=FORMER_MEMBER)
    publish(MemberDeleted(member_id=member.id))
    send_email(
        old_email, "Your Council account is deleted", "account_deleted", forget_when_sent=True
    )
    on_commit(_remove_files, photo_stem, export_files)
    commit()


def _end_sessions(member: Member) -> None:
    """Every device signs out: the rows go, and the version bump voids any copied cookie."""
    member.session_version += 1
    db.session.execute(delete(MemberSession).where(MemberSession.member_id == member.id))
    publish(MemberSignedOut(member_id=member.id))


def _delete_personal_rows(member: Member) -> None:
    for model, column in (
        (PasswordResetToken, PasswordResetToken.member_id),
        (EmailChangeToken, EmailChangeToken.member_id),
        (RecoveryCode, RecoveryCode.member_id),
        (Notification, Notification.member_id),
        (NotificationSetting, NotificationSetting.member_id),
        (DigestRun, DigestRun.member_id),
        (ThreadWatch, ThreadWatch.member_id),
        (CommunityWatch, CommunityWatch.member_id),
        (ReadPosition, ReadPosition.member_id),
        (Mention, Mention.member_id),
        (TopicFollow, TopicFollow.member_id),
        (Completion, Completion.member_id),
        (ConversationMember, ConversationMember.member_id),
        (ChapterLead, ChapterLead.member_id),
        (LevelChangeRequest, LevelChangeRequest.member_id),
        (Nomination, Nomination.referrer_id),
        (MemberInterest, MemberInterest.member_id),
    ):
        db.session.execute(delete(model).where(column == member.id))
    db.session.execute(
        delete(IntroductionRequest).where(
            or_(
                IntroductionRequest.sender_id == member.id,
                IntroductionRequest.recipient_id == member.id,
            )
        )
    )
    for export in list_exports(member):
        db.session.delete(export)
    db.session.expire(member, ["interests"])


def _leave_events(member: Member) -> None:
    """Their answers go; a place they held at an upcoming event goes to the first waiting."""
    now = utcnow()
    for rsvp in list(db.session.scalars(select(Rsvp).where(Rsvp.member_id == member.id))):
        event = lock_event(rsvp.event_id)
        was_going = rsvp.answer == Answer.GOING
        db.session.delete(rsvp)
        db.session.flush()
        if event is not None and was_going and event.starts_at > now:
            promote_waiting(event)


def _forget_request_to_join(member: Member, email: str) -> None:
    """The application and invitation stay as records that someone joined, without who."""
    invited = select(Invitation.request_id).where(Invitation.member_id == member.id)
    db.session.execute(
        update(MembershipRequest)
        .where(or_(MembershipRequest.id.in_(invited), MembershipRequest.email == email))
        .values(
            name=FORMER_MEMBER,
            email="",
            title="",
            company="",
            region="",
            profile_url="",
            reason="",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Invitation)
        .where(or_(Invitation.member_id == member.id, Invitation.email == email))
        .values(email="")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Nomination)
        .where(Nomination.email == email)
        .values(email="")
        .execution_options(synchronize_session=False)
    )


def _forget_queued_mail(member: Member, addresses: list[str]) -> None:
    """Unsent (and kept sent) mail to them, and queued work naming their address (a reset
    they asked for a minute ago)."""
    db.session.execute(delete(QueuedEmail).where(QueuedEmail.recipient.in_(addresses)))
    for address in addresses:
        db.session.execute(
            delete(QueuedTask).where(
                cast(QueuedTask.payload, Text).contains(address, autoescape=True)
            )
        )


def _unquote_name(member: Member, name: str, handle: str, email: str) -> None:
    """Other members' notifications ("@handle replied ...") and the audit log quote the
    member: they keep the fact, not the person."""
    unquoted = func.replace(
        func.replace(Notification.text, f"@{handle}", notified_as_former), name, FORMER_MEMBER
    )
    db.session.execute(
        update(Notification)
        .where(Notification.actor_id == member.id)
        .values(text=func.substr(unquoted, 1, Notification.text.type.length))
        .execution_options(synchronize_session=False)
    )
    about_them = (AuditEntry.target_type == "member") & (AuditEntry.target_id == member.id)
    db.session.execute(
        update(AuditEntry)
        .where(or_(about_them, AuditEntry.target_label.contains(email, autoescape=True)))
        .values(target_label=FORMER_MEMBER)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(AuditEntry)
        .where(
            or_(
                about_them,
                cast(AuditEntry.details, Text).contains(email, autoescape=True),
            )
        )
        .values(details={})
        .execution_options(synchronize_session=False)
    )


def _scrub(member: Member) -> None:
    member.email = f"former-{member.id}@deleted.invalid"
    member.name = FORMER_MEMBER
    member.handle = f"former-{member.id}"
    member.title = member.company = member.region = member.profile_url = ""
    member.bio = member.photo = member.status_reason = ""
    member.role = Role.MEMBER.value
    member.status = MemberStatus.DELETED.value
    member.suspended_until = None
    member.password_hash = UNUSABLE_PASSWORD
    member.totp_secret = member.totp_enabled_at = member.totp_last_step = None
    member.time_zone = None
    member.last_seen_at = None
    member.referrer_id = None
    member.directory_visibility = DirectoryVisibility.HIDDEN.value
    member.contact_preference = ContactPreference.NOBODY.value


def _remove_files(photo_stem: str, export_files: list[Path]) -> None:
    if photo_stem:
        photos.remove_photo(photo_stem)
    for path in export_files:
        path.unlink(missing_ok=True)
