"""Leaving, or taking one's data along: /settings/export and /settings/delete."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from community.core.errors import DomainError, NotFound, RateLimited
from community.core.forms import show_domain_error
from community.extensions import limiter
from community.members import deletion, export
from community.members.leave_forms import DeleteAccountForm

bp = Blueprint("leave", __name__)


def _member_key() -> str:
    return f"member:{current_user.id}"


def _failed(response: Response) -> bool:
    return response.status_code >= 400


def _export_page(error: str = "", status: int = 200) -> tuple[str, int]:
    return render_template(
        "members/export.html",
        exports=export.list_exports(current_user),
        form=FlaskForm(),
        error=error,
    ), status


@bp.get("/settings/export")
def export_page() -> tuple[str, int]:
    return _export_page()


@bp.post("/settings/export")
def request_export() -> Response | tuple[str, int, dict[str, str]]:
    if FlaskForm().validate_on_submit():
        try:
            export.request_export(current_user)
        except RateLimited as error:
            return *_export_page(error.message, 429), error.headers
        flash("Your export is being prepared; we will email you when it is ready.", "success")
    return redirect(url_for("leave.export_page"))


@bp.get("/settings/export/<key>")
def download_export(key: str) -> Response | tuple[str, int]:
    try:
        path = export.get_export_file(current_user, key)
    except NotFound:
        raise
    except DomainError as error:  # their own export, expired: say so on the page
        return _export_page(error.message, 410)
    response = send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name="council-data.zip",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/settings/delete", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", key_func=_member_key, methods=["POST"], deduct_when=_failed)
def delete_account() -> Response | tuple[str, int]:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        member = current_user._get_current_object()
        try:
            deletion.delete_account(
                member, form.password.data, form.code.data or "", erase=form.erase.data
            )
        except NotFound:
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            logout_user()
            flash("Your account is deleted. Thank you for the conversations.", "info")
            return redirect(url_for("home.index"))
    return render_template("members/delete.html", form=form), 400 if form.errors else 200
