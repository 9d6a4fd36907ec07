from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from community.core.emails import normalize_email
from community.core.errors import DomainError
from community.core.forms import show_domain_error
from community.core.security import safe_next_url
from community.extensions import limiter
from community.members import services, sessions, two_factor
from community.members.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm
from community.members.models import Member
from community.members.sign_in_steps import hold_for_second_step

bp = Blueprint("members", __name__)


def _form_email() -> str:
    """Rate-limit key for per-account limits: the address typed, known or not."""
    return "account:" + normalize_email(request.form.get("email", "")[:254])


def _form_email_from_this_address() -> str:
    """Rate-limit key for failed sign-ins: the address typed *and* the client's address, so
    guesses from elsewhere cannot lock the member out while the guesser is still slowed."""
    return f"{_form_email()}:from:{get_remote_address()}"


def _failed(response: Response) -> bool:
    return response.status_code != 302


def start_session(member: Member, remember: bool = False) -> None:
    """Sign the member in with a new session record, which the cookies name."""
    sessions.start_session(
        member,
        remember=remember,
        user_agent=request.user_agent.string,
        ip_address=request.remote_addr or "",
    )
    login_user(member, remember=remember)


@bp.before_app_request
def _note_activity() -> None:
    if request.endpoint != "static" and current_user.is_authenticated:
        sessions.note_activity(current_user)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per 10 minutes", methods=["POST"], deduct_when=_failed)
@limiter.limit(
    "5 per 10 minutes",
    key_func=_form_email_from_this_address,
    methods=["POST"],
    deduct_when=_failed,
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            member = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            next_url = safe_next_url(request.args.get("next"))
            if member.uses_two_factor:
                hold_for_second_step(member, remember=form.remember.data, next_url=next_url)
                return redirect(url_for("account.sign_in_code"))
            start_session(member, remember=form.remember.data)
            return redirect(next_url)
    return render_template("members/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
@login_required
def logout() -> Response:
    member = current_user._get_current_object()
    logout_user()
    sessions.sign_out(member)
    flash("You are signed out.", "info")
    return redirect(url_for("home.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", key_func=_form_email, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.ask_for_password_reset(form.email.data)
        return render_template("members/forgot_sent.html", email=form.email.data)
    return render_template("members/forgot.html", form=form), 200 if not form.errors else 400


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token: str) -> Response | tuple[str, int] | str:
    try:
        services.check_reset_token(token)
    except DomainError as error:
        return render_template("members/reset_invalid.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            member = services.reset_password(token, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Your password is changed and your other sessions are signed out.", "success")
            if member.uses_two_factor:  # a mailbox alone must not get past the second step
                hold_for_second_step(member, remember=False, next_url=url_for("home.index"))
                return redirect(url_for("account.sign_in_code"))
            start_session(member)
            return redirect(url_for("home.index"))
    return render_template("members/reset.html", form=form), 200 if not form.errors else 400


@bp.get("/settings/security")
def security() -> str:
    return render_template(
        "members/security.html",
        sessions=sessions.list_sessions(current_user),
        current_session=current_user.current_session,
        recovery_codes_left=two_factor.count_recovery_codes_left(current_user),
    )


@bp.post("/settings/security/sessions/<int:session_id>/end")
def end_session(session_id: int) -> Response:
    sessions.end_session(current_user, session_id)
    flash("That device is signed out.", "success")
    return redirect(url_for("members.security"))


@bp.post("/settings/security/sign-out-others")
def end_other_sessions() -> Response:
    ended = sessions.end_other_sessions(current_user)
    flash(
        f"Signed out of {ended} other device{'s' if ended != 1 else ''}."
        if ended
        else "No other device was signed in.",
        "success",
    )
    return redirect(url_for("members.security"))
