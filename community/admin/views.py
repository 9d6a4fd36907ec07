from __future__ import annotations

import csv
import io
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from community import access
from community.admin.audit_log import (
    AuditFilter,
    iter_audit_entries,
    list_audit_actions,
    list_audit_entries,
)
from community.admin.forms import NewTierForm, PolicyForm, TierForm, add_tier_fields
from community.core.errors import DomainError
from community.core.forms import show_domain_error
from community.members.levels import LEVEL_ORDER
from community.membership import policy_changes
from community.membership import services as membership

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@access.owner_required
def _owners_only() -> None:
    return None


@bp.get("/")
def index() -> str:
    return render_template("admin/index.html")


def _policy_form() -> PolicyForm:
    form_class = add_tier_fields(PolicyForm, [(t.slug, t.name) for t in membership.get_tiers()])
    current = membership.get_current_policy()
    if request.method == "POST":
        return form_class()
    form = form_class(
        base_version=str(current.version),
        admitted_levels=list(current.admitted_levels),
        blocked_email_domains="\n".join(current.blocked_email_domains),
        nomination_quota=current.nomination_quota,
        cooldown_days=current.cooldown_days,
        invitation_days=current.invitation_days,
    )
    for level in LEVEL_ORDER:
        getattr(form, f"tier_{level.value}").data = current.level_tiers.get(level.value, "")
    return form


def _draft(form: PolicyForm) -> policy_changes.PolicyDraft:
    domains = [
        line.strip().lower() for line in (form.blocked_email_domains.data or "").splitlines()
    ]
    return policy_changes.PolicyDraft(
        admitted_levels=list(form.admitted_levels.data or []),
        level_tiers={
            level.value: getattr(form, f"tier_{level.value}").data or "" for level in LEVEL_ORDER
        },
        blocked_email_domains=[domain for domain in domains if domain],
        nomination_quota=form.nomination_quota.data,
        cooldown_days=form.cooldown_days.data,
        invitation_days=form.invitation_days.data,
        note=form.note.data or "",
    )


@bp.route("/policy", methods=["GET", "POST"])
def policy() -> ResponseReturnValue:
    form = _policy_form()
    impacts = None
    if form.validate_on_submit():
        draft = _draft(form)
        try:
            if request.form.get("action") == "apply":
                new = policy_changes.apply_policy_change(
                    current_user, draft, form.base_version.data
                )
                flash(f"Policy version {new.version} is in force.", "success")
                return redirect(url_for("admin.policy"))
            impacts = policy_changes.preview_policy_change(draft)
        except DomainError as error:
            show_domain_error(form, error)
    return render_template(
        "admin/policy.html",
        form=form,
        policy=membership.get_current_policy(),
        levels=LEVEL_ORDER,
        impacts=impacts,
    ), 400 if form.errors else 200


@bp.get("/tiers")
def tiers() -> str:
    tiers = membership.get_tiers()
    forms = {tier.id: TierForm(obj=tier, prefix=f"tier{tier.id}") for tier in tiers}
    return render_template(
        "admin/tiers.html", tiers=tiers, forms=forms, new_form=NewTierForm(prefix="new")
    )


@bp.post("/tiers/<int:tier_id>")
def update_tier(tier_id: int) -> ResponseReturnValue:
    form = TierForm(prefix=f"tier{tier_id}")
    if form.validate_on_submit():
        try:
            policy_changes.update_tier(
                current_user, tier_id, form.name.data, form.description.data or ""
            )
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash("Tier saved.", "success")
    else:
        flash("Give the tier a name (at most 80 characters).", "error")
    return redirect(url_for("admin.tiers"))


@bp.post("/tiers/new")
def create_tier() -> ResponseReturnValue:
    form = NewTierForm(prefix="new")
    if form.validate_on_submit():
        try:
            policy_changes.create_tier(
                current_user,
                form.slug.data,
                form.name.data,
                form.rank.data,
                form.description.data or "",
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Tier added.", "success")
            return redirect(url_for("admin.tiers"))
    tiers = membership.get_tiers()
    forms = {tier.id: TierForm(obj=tier, prefix=f"tier{tier.id}") for tier in tiers}
    return render_template("admin/tiers.html", tiers=tiers, forms=forms, new_form=form), 400


def _audit_filter() -> AuditFilter:
    def as_date(name: str) -> date | None:
        try:
            return date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            return None

    return AuditFilter(
        action=request.args.get("action", "").strip(),
        actor=request.args.get("actor", "").strip(),
        target=request.args.get("target", "").strip(),
        since=as_date("since"),
        until=as_date("until"),
    )


@bp.get("/audit")
def audit() -> str:
    filters = _audit_filter()
    return render_template(
        "admin/audit.html",
        page=list_audit_entries(filters, page=request.args.get("page", 1, type=int)),
        filters=filters,
        actions=list_audit_actions(),
        query=request.args.to_dict(),
    )


def _csv_cell(value: object) -> str:
    """Text that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/audit.csv")
def audit_csv() -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "time_utc",
            "actor",
            "action",
            "target_type",
            "target_id",
            "target",
            "reason",
            "policy_version",
            "details",
        ]
    )
    for entry in iter_audit_entries(_audit_filter()):
        writer.writerow(
            _csv_cell(value)
            for value in [
                entry.created_at.isoformat(),
                entry.actor.email if entry.actor else "system",
                entry.action,
                entry.target_type,
                entry.target_id,
                entry.target_label,
                entry.reason,
                entry.policy_version,
                "; ".join(f"{k}={v}" for k, v in sorted(entry.details.items())),
            ]
        )
    headers = {"Content-Disposition": "attachment; filename=council-audit.csv"}
    return Response(buffer.getvalue(), mimetype="text/csv", headers=headers)
