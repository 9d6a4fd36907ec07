"""Owners' page for the sales-pitch check: its phrase lists and threshold, and their versions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from community.admin.forms import PitchRulesForm
from community.admin.views import bp
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.forms import show_domain_error
from community.forum import pitch_rules
from community.forum.sales_pitch import WEIGHTS


@bp.route("/sales-pitch", methods=["GET", "POST"])
def sales_pitch_rules() -> ResponseReturnValue:
    versions = pitch_rules.list_versions(current_user)
    current = pitch_rules.get_current_rules()
    if request.method == "POST":
        form = PitchRulesForm()
    else:
        form = PitchRulesForm(
            base_version=current.version,
            pricing_phrases="\n".join(current.pricing_phrases),
            call_to_sales_phrases="\n".join(current.call_to_sales_phrases),
            threshold=current.threshold,
        )
    if form.validate_on_submit():
        draft = pitch_rules.RulesDraft(
            pricing_phrases=form.pricing_phrases.data or "",
            call_to_sales_phrases=form.call_to_sales_phrases.data or "",
            threshold=form.threshold.data,
            note=form.note.data or "",
        )
        try:
            saved = pitch_rules.save_rules(current_user, draft, form.base_version.data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"Sales-pitch rules version {saved.version} are in force.", "success")
            return redirect(url_for("admin.sales_pitch_rules"))
    return render_template(
        "admin/sales_pitch.html",
        form=form,
        current=current,
        versions=versions,
        weights=WEIGHTS,
    ), (400 if form.errors or form.form_errors else 200)
