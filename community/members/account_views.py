"""The member's own settings: /settings/account (password, email, time zone, level) and
two-step sign-in (/settings/security/two-factor, and the code step after the password)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from community.core.errors import DomainError, NotFound
from community.core.forms import show_domain_error
from community.extensions import limiter
from community.members import account, two_factor
from community.members.account_forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CodeForm,
    DisableTwoFactorForm,
    LevelForm,
    TimeZoneForm,
)
from community.members.sign_in_steps import clear_pending, pending_member, pending_state
from community.members.views import start_session
from community.membership.level_changes import change_level, get_pending_level_change

bp = Blueprint("account", __name__)

# What a staff member who must enrol may still open.
ENROL_ENDPOINTS = frozenset(
    {
        "static",
        "members.logout",
        "account.two_factor_settings",
        "account.start_enrolment",
        "account.confirm_enrolment",
    }
)


def _member_key() -> str:
    return f"member:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def _pending_key() -> str:
    """Code guesses are counted per account waiting for a code, wherever they come from."""
    state = pending_state()
    return f"sign-in-code:{state['member_id']}" if state else get_remote_address()


def _failed(response: Response) -> bool:
    """Only refusals count against a limit: a right code or password uses up nothing."""
    return response.status_code >= 400


@bp.before_app_request
def _staff_enrol_first() -> Response | None:
    if request.endpoint in ENROL_ENDPOINTS or not current_user.is_authenticated:
        return None
    if not two_factor.must_enrol(current_user):
        return None
    flash("Your role requires two-step sign-in: set it up to continue.", "info")
    return redirect(url_for("account.two_factor_settings"))


def _with_form_error(form: FlaskForm, action: Any) -> bool:
    """Run a service; a refusal becomes a form error (a hidden object stays a 404)."""
    try:
        action()
    except NotFound:
        raise
    except DomainError as error:
        show_domain_error(form, error)
        return False
    return True


# --- /settings/account ----------------------------------------------------------------------


def _account_page(**forms: FlaskForm) -> tuple[str, int]:
    page_forms: dict[str, FlaskForm] = {
        "password_form": ChangePasswordForm(formdata=None),
        "email_form": ChangeEmailForm(formdata=None),
        "zone_form": TimeZoneForm(
            formdata=None, data={"time_zone": current_user.time_zone or "UTC"}
        ),
        "level_form": LevelForm(formdata=None, data={"level": current_user.level}),
    }
    page_forms.update(forms)
    failed = any(form.errors for form in forms.values())
    return render_template(
        "members/account.html",
        zone_chosen=current_user.time_zone is not None,
        pending_level_change=get_pending_level_change(current_user),
        **page_forms,
    ), 400 if failed else 200


@bp.get("/settings/account")
def settings() -> tuple[str, int]:
    return _account_page()


@bp.post("/settings/account/password")
@limiter.limit("5 per 15 minutes", key_func=_member_key, deduct_when=_failed)
def change_password() -> Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit() and _with_form_error(
        form,
        lambda: account.change_password(
            current_user, form.current_password.data, form.password.data
        ),
    ):
        flash("Your password is changed; your other devices are signed out.", "success")
        return redirect(url_for("account.settings"))
    return _account_page(password_form=form)


@bp.post("/settings/account/email")
@limiter.limit("5 per hour", key_func=_member_key)
def change_email() -> Response | tuple[str, int]:
    form = ChangeEmailForm()
    sent_to: list[str] = []
    if form.validate_on_submit() and _with_form_error(
        form,
        lambda: sent_to.append(
            account.request_email_change(
                current_user, form.new_email.data, form.email_password.data
            )
        ),
    ):
        flash(
            f"We sent a link to {sent_to[0]}. Your address changes when you open it "
            "(within 24 hours).",
            "success",
        )
        return redirect(url_for("account.settings"))
    return _account_page(email_form=form)


@bp.route("/settings/account/email/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=_member_key, methods=["POST"])
def confirm_email_change(token: str) -> Response | tuple[str, int]:
    """The link opens a page with a button, so a mail scanner that follows links changes
    nothing; the button moves the address."""
    form = FlaskForm()
    try:
        change = account.check_email_change_token(current_user, token)
        if request.method == "POST" and form.validate_on_submit():
            account.confirm_email_change(current_user, token)
            flash(f"Your address is now {current_user.email}.", "success")
            return redirect(url_for("account.settings"))
    except NotFound:
        raise
    except DomainError as error:
        return render_template("members/email_change_invalid.html", message=error.message), 400
    return render_template("members/email_change_confirm.html", change=change, form=form), 200


@bp.post("/settings/account/time-zone")
def set_time_zone() -> Response | tuple[str, int]:
    form = TimeZoneForm()
    if form.validate_on_submit() and _with_form_error(
        form, lambda: account.set_time_zone(current_user, form.time_zone.data)
    ):
        flash(f"Times are now shown in {current_user.time_zone}.", "success")
        return redirect(url_for("account.settings"))
    return _account_page(zone_form=form)


@bp.post("/settings/account/level")
@limiter.limit("10 per hour", key_func=_member_key)
def set_level() -> Response | tuple[str, int]:
    form = LevelForm()
    queued: list[object] = []
    if form.validate_on_submit() and _with_form_error(
        form, lambda: queued.append(change_level(current_user, form.level.data))
    ):
        if queued[0] is None:
            flash(f"Your level is now {current_user.level_label}.", "success")
        else:
            flash(
                "That level belongs to another tier, so a moderator confirms it; until then "
                "nothing changes.",
                "info",
            )
        return redirect(url_for("account.settings"))
    return _account_page(level_form=form)


# --- Two-step sign-in -----------------------------------------------------------------------


def _two_factor_page(code_form: CodeForm | None = None, **forms: FlaskForm) -> tuple[str, int]:
    code_form = code_form or CodeForm(formdata=None)
    disable_form = forms.get("disable_form") or DisableTwoFactorForm(formdata=None)
    renew_form = forms.get("renew_form") or CodeForm(formdata=None, prefix="renew")
    failed = any(form.errors for form in (code_form, disable_form, renew_form))
    return render_template(
        "members/two_factor.html",
        enrolment=two_factor.get_enrolment(current_user),
        required=two_factor.is_required_of(current_user),
        codes_left=two_factor.count_recovery_codes_left(current_user),
        code_form=code_form,
        disable_form=disable_form,
        renew_form=renew_form,
        start_form=FlaskForm(formdata=None),
    ), 400 if failed else 200


@bp.get("/settings/security/two-factor")
def two_factor_settings() -> tuple[str, int]:
    return _two_factor_page()


@bp.post("/settings/security/two-factor/start")
def start_enrolment() -> Response:
    if FlaskForm().validate_on_submit():
        try:
            two_factor.start_enrolment(current_user)
        except DomainError as error:
            flash(error.message, "error")
    return redirect(url_for("account.two_factor_settings"))


@bp.post("/settings/security/two-factor/confirm")
@limiter.limit("10 per 10 minutes", key_func=_member_key, deduct_when=_failed)
def confirm_enrolment() -> Response | tuple[str, int] | str:
    form = CodeForm()
    codes: list[str] = []
    if form.validate_on_submit() and _with_form_error(
        form, lambda: codes.extend(two_factor.confirm_enrolment(current_user, form.code.data))
    ):
        # Shown this once: only their hashes are kept. (Not a redirect, so that a reload
        # cannot show them again.)
        return render_template("members/recovery_codes.html", codes=codes)
    return _two_factor_page(code_form=form)


@bp.post("/settings/security/two-factor/recovery-codes")
@limiter.limit("10 per 10 minutes", key_func=_member_key, deduct_when=_failed)
def renew_recovery_codes() -> Response | tuple[str, int] | str:
    form = CodeForm(prefix="renew")
    codes: list[str] = []
    if form.validate_on_submit() and _with_form_error(
        form,
        lambda: codes.extend(two_factor.regenerate_recovery_codes(current_user, form.code.data)),
    ):
        return render_template("members/recovery_codes.html", codes=codes)
    return _two_factor_page(renew_form=form)


@bp.post("/settings/security/two-factor/disable")
@limiter.limit("10 per 10 minutes", key_func=_member_key, deduct_when=_failed)
def disable_two_factor() -> Response | tuple[str, int]:
    form = DisableTwoFactorForm()
    if form.validate_on_submit() and _with_form_error(
        form, lambda: two_factor.disable(current_user, form.password.data, form.code.data)
    ):
        flash("Two-step sign-in is off.", "success")
        return redirect(url_for("members.security"))
    return _two_factor_page(disable_form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("30 per 10 minutes", methods=["POST"], deduct_when=_failed)
@limiter.limit("5 per 10 minutes", key_func=_pending_key, methods=["POST"], deduct_when=_failed)
def sign_in_code() -> Response | tuple[str, int]:
    """The second step of signing in, reached only with a correct password just given."""
    waiting = pending_member()
    if waiting is None:
        clear_pending()
        flash("Sign in with your email and password first.", "info")
        return redirect(url_for("members.login"))
    member, state = waiting
    form = CodeForm()
    used: list[str] = []
    if form.validate_on_submit() and _with_form_error(
        form, lambda: used.append(two_factor.check_second_factor(member, form.code.data))
    ):
        clear_pending()
        start_session(member, remember=state["remember"])
        if used[0] == "recovery":
            left = two_factor.count_recovery_codes_left(member)
            flash(f"You used a recovery code; {left} left.", "info")
        return redirect(state["next"])
    return render_template("members/sign_in_code.html", form=form), 400 if form.errors else 200
