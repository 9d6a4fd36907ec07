from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from community.core.emails import normalize_email
from community.core.errors import DomainError
from community.core.forms import show_domain_error
from community.core.security import new_token, safe_next_url
from community.extensions import limiter
from community.members import services
from community.members.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm
from community.members.models import Member

bp = Blueprint("members", __name__)


def _form_email() -> str:
    """Rate-limit key for per-account limits: the address typed, known or not."""
    return "account:" + normalize_email(request.form.get("email", "")[:254])


def _failed(response: Response) -> bool:
    return response.status_code != 302


def start_session(member: Member, remember: bool = False) -> None:
    """Sign the member in, naming this session so that signing out ends its live sockets."""
    login_user(member, remember=remember)
    session[services.SESSION_KEY] = new_token()[0]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per 10 minutes", methods=["POST"], deduct_when=_failed)
@limiter.limit("5 per 10 minutes", key_func=_form_email, methods=["POST"], deduct_when=_failed)
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            member = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            start_session(member, remember=form.remember.data)
            return redirect(safe_next_url(request.args.get("next")))
    return render_template("members/login.html", form=form), 200 if not form.errors else 400


@bp.post("/logout")
@login_required
def logout() -> Response:
    member = current_user._get_current_object()
    session_key = session.pop(services.SESSION_KEY, None)
    logout_user()
    services.sign_out(member, session_key)
    flash("You are signed out.", "info")
    return redirect(url_for("core.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", key_func=_form_email, methods=["POST"])
def forgot_password() -> Response | str:
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
            start_session(member)
            flash("Your password is changed and your other sessions are signed out.", "success")
            return redirect(url_for("core.index"))
    return render_template("members/reset.html", form=form), 200 if not form.errors else 400
