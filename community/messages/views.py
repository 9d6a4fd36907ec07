"""Pages of private contact: /messages, a conversation, introductions, /settings/contact and
the moderators' list of reported conversations."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from community import access
from community.core.errors import DomainError, NotFound, PermissionDenied, RateLimited
from community.core.forms import act_and_flash, show_domain_error
from community.core.params import parse_id
from community.messages import contact, conversations, reports
from community.messages.forms import (
    ContactPreferenceForm,
    IntroductionForm,
    MessageForm,
    NewConversationForm,
    ReportForm,
)

bp = Blueprint("messages", __name__)

Page = str | tuple[str, int] | tuple[str, int, dict[str, str]]


def _failed(form: object, error: DomainError, render: str, **context: object) -> Page:
    """The page again with the error next to the field and everything typed kept."""
    show_domain_error(form, error)
    page = render_template(render, form=form, **context)
    if isinstance(error, RateLimited):
        return page, 429, error.headers
    return page, 400


# --- Conversations ---------------------------------------------------------------------------


@bp.get("/messages")
def index() -> str:
    page = conversations.list_conversations(current_user, request.args.get("page", 1, type=int))
    return render_template("messages/index.html", page=page, active="conversations")


@bp.route("/messages/new", methods=["GET", "POST"])
def new() -> Response | Page:
    form = NewConversationForm()
    if request.method == "GET":
        target = contact.get_contact_target(current_user, parse_id(request.args.get("to")))
        if target is not None:
            form.recipients.data = f"@{target.handle}"
    if form.validate_on_submit():
        try:
            recipients = conversations.find_members_by_handle(form.recipients.data.split(","))
            conversation = conversations.start_conversation(
                current_user, recipients, form.subject.data or "", form.body.data
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            return _failed(form, error, "messages/new.html")
        return redirect(url_for("messages.conversation", conversation_id=conversation.id))
    status = 400 if form.errors else 200
    return render_template("messages/new.html", form=form), status


def _render_conversation(conversation_id: int, form: MessageForm) -> str:
    conversation = access.get_visible_conversation(current_user, conversation_id)
    page = conversations.read_messages(
        current_user, conversation, request.args.get("page", None, type=int)
    )
    place = access.participation(current_user, conversation)
    return render_template(
        "messages/conversation.html",
        conversation=conversation,
        page=page,
        form=form,
        place=place,
        participants=conversations.active_participants(conversation),
        can_add=conversations.can_add_participants(current_user, conversation),
        reviewing=place is None,  # a moderator reading a reported conversation
        report_form=ReportForm(),
    )


@bp.get("/messages/<int:conversation_id>")
def conversation(conversation_id: int) -> str:
    return _render_conversation(conversation_id, MessageForm())


@bp.post("/messages/<int:conversation_id>")
def reply(conversation_id: int) -> Response | Page:
    form = MessageForm()
    if form.validate_on_submit():
        try:
            conversations.send_message(current_user, conversation_id, form.body.data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            show_domain_error(form, error)
            page = _render_conversation(conversation_id, form)
            if isinstance(error, RateLimited):
                return page, 429, error.headers
            return page, 400
        return redirect(url_for("messages.conversation", conversation_id=conversation_id))
    return _render_conversation(conversation_id, form), 400


@bp.get("/messages/<int:conversation_id>/since")
def messages_after(conversation_id: int) -> str:
    """The messages after number ``after``, as list items, for a page told of new ones live."""
    after = parse_id(request.args.get("after")) or 0
    found = conversations.messages_after(current_user, conversation_id, after)
    return render_template("messages/_messages.html", messages=found)


@bp.post("/messages/<int:conversation_id>/participants")
def add_participant(conversation_id: int) -> Response:
    act_and_flash(
        lambda: conversations.add_participant(
            current_user, conversation_id, request.form.get("handle", "")
        ),
        "Added to the conversation.",
    )
    return redirect(url_for("messages.conversation", conversation_id=conversation_id))


@bp.post("/messages/<int:conversation_id>/mute")
def mute(conversation_id: int) -> Response:
    muted = request.form.get("muted") == "1"
    act_and_flash(
        lambda: conversations.set_muted(current_user, conversation_id, muted),
        "Muted: no notifications from this conversation." if muted else "Unmuted.",
    )
    return redirect(url_for("messages.conversation", conversation_id=conversation_id))


@bp.post("/messages/<int:conversation_id>/leave")
def leave(conversation_id: int) -> Response:
    conversations.leave(current_user, conversation_id)
    flash("You left the conversation.", "success")
    return redirect(url_for("messages.index"))


@bp.post("/messages/<int:conversation_id>/report")
def report(conversation_id: int) -> Response:
    act_and_flash(
        lambda: reports.report_conversation(
            current_user,
            conversation_id,
            request.form.get("reason", ""),
            request.form.get("text", ""),
        ),
        "Thank you. The moderators will read this conversation and decide.",
    )
    return redirect(url_for("messages.conversation", conversation_id=conversation_id))


@bp.post("/messages/<int:conversation_id>/resolve")
def resolve(conversation_id: int) -> Response:
    act_and_flash(
        lambda: reports.resolve_reports(
            current_user, conversation_id, request.form.get("note", "")
        ),
        "Resolved. The conversation is private again.",
    )
    return redirect(url_for("messages.report_queue"))


@bp.get("/moderation/conversations")
@access.moderator_required
def report_queue() -> str:
    page = reports.report_queue(current_user, request.args.get("page", 1, type=int))
    return render_template(
        "messages/reports.html", page=page, active="conversations", label=reports.reason_label
    )


# --- Introductions ---------------------------------------------------------------------------


@bp.get("/messages/introductions")
def introductions() -> str:
    return render_template(
        "messages/introductions.html",
        received=contact.received_requests(current_user),
        sent=contact.sent_requests(current_user),
        shown_status=contact.shown_status,
        active="introductions",
    )


@bp.route("/messages/introduce/<int:member_id>", methods=["GET", "POST"])
def introduce(member_id: int) -> Response | Page:
    recipient = contact.get_contact_target(current_user, member_id)
    form = IntroductionForm()
    if form.validate_on_submit():
        try:
            contact.ask_introduction(current_user, member_id, form.note.data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            return _failed(form, error, "messages/introduce.html", recipient=recipient)
        flash("Your request is sent. They will answer if they wish.", "success")
        return redirect(url_for("messages.introductions"))
    status = 400 if form.errors else 200
    return render_template("messages/introduce.html", form=form, recipient=recipient), status


@bp.post("/messages/introductions/<int:request_id>/accept")
def accept_introduction(request_id: int) -> Response:
    try:
        conversation = contact.accept_introduction(current_user, request_id)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("messages.introductions"))
    return redirect(url_for("messages.conversation", conversation_id=conversation.id))


@bp.post("/messages/introductions/<int:request_id>/decline")
def decline_introduction(request_id: int) -> Response:
    act_and_flash(
        lambda: contact.decline_introduction(current_user, request_id),
        "Declined. They are not told.",
    )
    return redirect(url_for("messages.introductions"))


# --- Settings --------------------------------------------------------------------------------


@bp.route("/settings/contact", methods=["GET", "POST"])
def contact_settings() -> Response | Page:
    form = ContactPreferenceForm(preference=current_user.contact_preference)
    if form.validate_on_submit():
        try:
            contact.set_contact_preference(current_user, form.preference.data)
        except DomainError as error:
            return _failed(form, error, "messages/contact_settings.html")
        flash("Saved.", "success")
        return redirect(url_for("messages.contact_settings"))
    status = 400 if form.errors else 200
    return render_template("messages/contact_settings.html", form=form), status
