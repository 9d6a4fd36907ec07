from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from community import access
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.forms import act_and_flash, show_domain_error
from community.core.timefmt import when_text
from community.members.levels import LEVEL_CHOICES
from community.members.models import MemberStatus
from community.membership import level_changes
from community.membership import services as membership
from community.moderation import services
from community.moderation.forms import (
    ApproveForm,
    DeclineForm,
    ReinstateForm,
    RevokeForm,
    SuspendForm,
)

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
# Chapter leads work the flag queue for their own chapters, and nothing else here.
LEAD_ENDPOINTS = frozenset(
    {"moderation.flag_queue", "moderation.decide", "moderation.decide_thread"}
)


@bp.before_request
def _moderators_only() -> None:
    """Moderators only; chapter leads also reach the flag queue (which shows them their own
    chapters' flags alone)."""
    if access.is_moderator(current_user):
        return
    if request.endpoint in LEAD_ENDPOINTS and access.is_chapter_lead(current_user):
        return
    abort(403)


@bp.get("/")
def index() -> Response:
    return redirect(url_for("moderation.requests"))


@bp.get("/requests")
def requests() -> str:
    page = membership.get_pending_requests(request.args.get("page", 1, type=int))
    return render_template("moderation/requests.html", page=page)


def _render_request(request_id: int, approve: ApproveForm, decline: DeclineForm) -> tuple[str, int]:
    membership_request = membership.get_request(request_id)
    failed = bool(approve.errors or decline.errors)
    return render_template(
        "moderation/request.html",
        req=membership_request,
        approve_form=approve,
        decline_form=decline,
        can_override=access.is_owner(current_user),
    ), 400 if failed else 200


@bp.get("/requests/<int:request_id>")
def review_request(request_id: int) -> tuple[str, int]:
    return _render_request(request_id, ApproveForm(), DeclineForm())


@bp.post("/requests/<int:request_id>/approve")
def approve_request(request_id: int) -> Response | tuple[str, int]:
    form = ApproveForm()
    if form.validate_on_submit():
        try:
            membership.approve_request(current_user, request_id, form.override_reason.data or "")
        except NotFound:
            raise  # the 404 page, not a form error
        except PermissionDenied as error:
            show_domain_error(form, error)
            return _render_request(request_id, form, DeclineForm())[0], 403
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Approved: the invitation is on its way.", "success")
            return redirect(url_for("moderation.requests"))
    return _render_request(request_id, form, DeclineForm())


@bp.post("/requests/<int:request_id>/decline")
def decline_request(request_id: int) -> Response | tuple[str, int]:
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            membership.decline_request(
                current_user, request_id, form.category.data, form.message.data or ""
            )
        except NotFound:
            raise  # the 404 page, not a form error
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Declined: the applicant has been told why.", "success")
            return redirect(url_for("moderation.requests"))
    return _render_request(request_id, ApproveForm(), form)


@bp.get("/level-changes")
def level_changes_queue() -> str:
    return render_template(
        "moderation/level_changes.html", changes=level_changes.get_pending_level_changes()
    )


@bp.post("/level-changes/<int:change_id>/approve")
def approve_level_change(change_id: int) -> Response:
    act_and_flash(
        lambda: level_changes.approve_level_change(current_user, change_id),
        "Approved: the member's level and tier are changed.",
    )
    return redirect(url_for("moderation.level_changes_queue"))


@bp.post("/level-changes/<int:change_id>/decline")
def decline_level_change(change_id: int) -> Response:
    act_and_flash(
        lambda: level_changes.decline_level_change(current_user, change_id),
        "Declined: the member's level stays as it was.",
    )
    return redirect(url_for("moderation.level_changes_queue"))


@bp.get("/members")
def members() -> str:
    filters = {key: request.args.get(key, "") for key in ("tier", "level", "status", "q")}
    return render_template(
        "moderation/members.html",
        page=services.list_members(**filters, page=request.args.get("page", 1, type=int)),
        filters=filters,
        tiers=membership.get_tiers(),
        levels=LEVEL_CHOICES,
        statuses=[status.value for status in MemberStatus],
    )


def _member_page(member_id: int, **forms: object) -> tuple[str, int]:
    member = services.get_member(member_id)
    page_forms = {
        "revoke_form": RevokeForm(),
        "suspend_form": SuspendForm(),
        "reinstate_form": ReinstateForm(),
    }
    page_forms.update(forms)
    failed = any(getattr(form, "errors", None) for form in forms.values())
    return render_template(
        "moderation/member.html",
        member=member,
        can_act=access.can_act_on_member(current_user, member),
        **page_forms,
    ), 400 if failed else 200


@bp.get("/members/<int:member_id>")
def member(member_id: int) -> tuple[str, int]:
    return _member_page(member_id)


def _member_action(
    member_id: int, form_name: str, form: FlaskForm, act: Callable[[Any], None]
) -> Response | tuple[str, int]:
    if form.validate_on_submit():
        try:
            act(form)
        except (NotFound, PermissionDenied):
            raise  # their status pages, not a form error
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return redirect(url_for("moderation.member", member_id=member_id))
    return _member_page(member_id, **{form_name: form})


@bp.post("/members/<int:member_id>/revoke")
def revoke(member_id: int) -> Response | tuple[str, int]:
    def act(form: RevokeForm) -> None:
        services.revoke_member(current_user, member_id, form.reason.data, form.message.data or "")
        flash("Membership revoked; the member is signed out everywhere.", "success")

    return _member_action(member_id, "revoke_form", RevokeForm(), act)


@bp.post("/members/<int:member_id>/suspend")
def suspend(member_id: int) -> Response | tuple[str, int]:
    def act(form: SuspendForm) -> None:
        until = form.until.data.replace(tzinfo=UTC)
        services.suspend_member(
            current_user, member_id, form.reason.data, until, form.message.data or ""
        )
        flash(f"Suspended until {when_text(until)}.", "success")

    return _member_action(member_id, "suspend_form", SuspendForm(), act)


@bp.post("/members/<int:member_id>/reinstate")
def reinstate(member_id: int) -> Response | tuple[str, int]:
    def act(form: ReinstateForm) -> None:
        services.reinstate_member(current_user, member_id, form.reason.data)
        flash("Membership reinstated.", "success")

    return _member_action(member_id, "reinstate_form", ReinstateForm(), act)
