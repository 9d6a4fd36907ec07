"""A participant reports a conversation to the moderators. While a report is open, moderators
may read that conversation (and no other private one); they resolve it with a note, audit-
logged, and it closes to them again."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from community import access
from community.core.audit import record_audit
from community.core.clock import utcnow
from community.core.domain_events import ConversationChanged, ConversationReported
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.core.pagination import Page, page_count
from community.extensions import db
from community.members.models import Member
from community.messages.models import ConversationReport
from community.moderation.models import FLAG_LABELS, FlagReason

MAX_REPORT_TEXT = 1000
QUEUE_PAGE = 20


def report_conversation(
    member: Member, conversation_id: int, reason: str, text: str = ""
) -> ConversationReport:
    conversation = access.get_visible_conversation(member, conversation_id)
    if access.participation(member, conversation) is None:
        raise PermissionDenied("Only the members of a conversation report it.")
    try:
        flag_reason = FlagReason(reason)
    except ValueError:
        raise DomainError("Choose why you are reporting this.", field="reason") from None
    text = text.strip()
    if flag_reason == FlagReason.OTHER and not text:
        raise DomainError("Say what is wrong when the reason is 'Something else'.", field="text")
    if len(text) > MAX_REPORT_TEXT:
        raise DomainError(f"Keep it under {MAX_REPORT_TEXT} characters.", field="text")
    report = ConversationReport(
        conversation_id=conversation.id,
        reporter_id=member.id,
        reason=flag_reason.value,
        text=text,
    )
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError:  # one open report per member and conversation, even when racing
        db.session.rollback()
        raise DomainError("You have already reported this conversation.") from None
    publish(ConversationReported(report_id=report.id))
    commit()
    return report


def report_queue(moderator: Member, page: int = 1) -> Page[ConversationReport]:
    """Open reports, oldest first (three queries whatever their number)."""
    if not access.is_moderator(moderator):
        raise NotFound()
    open_reports = select(ConversationReport).where(ConversationReport.resolved_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(open_reports.subquery())) or 0
    number = min(max(1, page), page_count(total, QUEUE_PAGE))
    items = list(
        db.session.scalars(
            open_reports.options(
                joinedload(ConversationReport.reporter),
                joinedload(ConversationReport.conversation),
            )
            .order_by(ConversationReport.created_at, ConversationReport.id)
            .offset((number - 1) * QUEUE_PAGE)
            .limit(QUEUE_PAGE)
        )
    )
    return Page(items, number, QUEUE_PAGE, total)


def resolve_reports(moderator: Member, conversation_id: int, note: str = "") -> int:
    """Close every open report on a conversation; returns how many. The moderator's access to
    the conversation ends with them."""
    conversation = access.get_visible_conversation(moderator, conversation_id)
    if not access.is_moderator(moderator):
        raise PermissionDenied("Only moderators resolve reports.")
    now, note = utcnow(), note.strip()[:MAX_REPORT_TEXT]
    reports = list(
        db.session.scalars(
            select(ConversationReport).where(
                ConversationReport.conversation_id == conversation.id,
                ConversationReport.resolved_at.is_(None),
            )
        )
    )
    if not reports:
        raise DomainError("There is no open report on this conversation.")
    for report in reports:
        report.resolved_at, report.resolved_by_id, report.resolution_note = now, moderator.id, note
    publish(ConversationChanged(conversation_id=conversation.id))
    record_audit(
        moderator,
        "conversation.report_resolved",
        "conversation",
        conversation.id,
        target_label=f"{len(reports)} report(s)",
        reason=note,
    )
    commit()
    return len(reports)


def reason_label(reason: str) -> str:
    return FLAG_LABELS.get(reason, reason)  # type: ignore[call-overload]
