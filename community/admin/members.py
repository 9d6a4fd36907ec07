"""Owners' pages for members: find a member, change their role or tier with a reason."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from community import access
from community.admin.forms import MemberTierForm, RoleForm, TwoFactorResetForm
from community.admin.views import bp
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.forms import choices, show_domain_error
from community.forum import chapter_leads
from community.members import appointments
from community.members.models import Member, MemberStatus
from community.membership.services import get_tiers


def _role_form(member: Member) -> RoleForm:
    form = RoleForm(prefix="role", data=None if request.method == "POST" else {"role": member.role})
    form.role.choices = choices(
        *[(role.value, appointments.ROLE_LABELS[role]) for role in access.ASSIGNABLE_ROLES]
    )
    return form


def _tier_form(member: Member) -> MemberTierForm:
    initial = None if request.method == "POST" else {"tier": member.tier.slug}
    form = MemberTierForm(prefix="tier", data=initial)
    form.tier.choices = choices(*[(tier.slug, tier.name) for tier in get_tiers()])
    return form


def _member_page(
    member: Member,
    role_form: RoleForm,
    tier_form: MemberTierForm,
    reset_form: TwoFactorResetForm | None = None,
) -> str:
    return render_template(
        "admin/member.html",
        member=member,
        role_form=role_form,
        tier_form=tier_form,
        reset_form=reset_form or TwoFactorResetForm(prefix="reset", formdata=None),
        may_change_role=access.can_change_role(current_user, member),
        may_reset_two_factor=access.can_reset_two_factor(current_user, member),
        led_chapters=chapter_leads.list_led_chapters(member.id),
        chapters=chapter_leads.list_chapters(),
    )


@bp.get("/members")
def members() -> str:
    filters = appointments.MemberFilter(
        q=request.args.get("q", "").strip(),
        role=request.args.get("role", "").strip(),
        tier=request.args.get("tier", "").strip(),
        status=request.args.get("status", "").strip(),
    )
    return render_template(
        "admin/members.html",
        page=appointments.list_members(
            current_user, filters, page=request.args.get("page", 1, type=int)
        ),
        filters=filters,
        roles=access.ASSIGNABLE_ROLES,
        role_labels=appointments.ROLE_LABELS,
        tiers=get_tiers(),
        statuses=list(MemberStatus),
    )


@bp.get("/members/<int:member_id>")
def member(member_id: int) -> str:
    member = appointments.get_member_for_owner(current_user, member_id)
    return _member_page(member, _role_form(member), _tier_form(member))


def _change(member_id: int, which: str) -> ResponseReturnValue:
    """Handle one of the member page's two forms; the other is shown as it was."""
    member = appointments.get_member_for_owner(current_user, member_id)
    role_form, tier_form = _role_form(member), _tier_form(member)
    form = role_form if which == "role" else tier_form
    if form.validate_on_submit():
        try:
            if which == "role":
                appointments.change_role(
                    current_user, member_id, role_form.role.data or "", role_form.reason.data
                )
            else:
                appointments.change_tier(
                    current_user, member_id, tier_form.tier.data or "", tier_form.reason.data
                )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Saved, and the member is told.", "success")
            return redirect(url_for("admin.member", member_id=member_id))
    # Show the other form with the member's current values, not the submitted ones.
    if which == "role":
        tier_form.tier.data = member.tier.slug
    else:
        role_form.role.data = member.role
    return _member_page(member, role_form, tier_form), 400


@bp.post("/members/<int:member_id>/role")
def change_role(member_id: int) -> ResponseReturnValue:
    return _change(member_id, "role")


@bp.post("/members/<int:member_id>/tier")
def change_tier(member_id: int) -> ResponseReturnValue:
    return _change(member_id, "tier")


@bp.post("/members/<int:member_id>/two-factor-reset")
def reset_two_factor(member_id: int) -> ResponseReturnValue:
    member = appointments.get_member_for_owner(current_user, member_id)
    form = TwoFactorResetForm(prefix="reset")
    if form.validate_on_submit():
        try:
            appointments.reset_two_factor(current_user, member_id, form.reason.data or "")
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(
                f"Two-step sign-in is off for {member.name}; they were signed out and emailed.",
                "success",
            )
            return redirect(url_for("admin.member", member_id=member_id))
    return _member_page(member, _role_form(member), _tier_form(member), form), 400
