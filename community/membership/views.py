from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from community.core.errors import DomainError
from community.core.forms import show_domain_error
from community.extensions import limiter
from community.members.views import start_session
from community.membership import applications, services
from community.membership.forms import AcceptInvitationForm, NominationForm, RequestForm
from community.membership.policy import describe_admitted_levels

bp = Blueprint("membership", __name__)


def _application(form: RequestForm) -> applications.Application:
    return applications.Application(
        name=form.name.data,
        email=form.email.data,
        title=form.title.data,
        level=form.level.data,
        company=form.company.data,
        region=form.region.data,
        profile_url=form.profile_url.data or "",
        reason=form.reason.data,
    )


@bp.route("/apply", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def apply() -> str | tuple[str, int]:
    form = RequestForm()
    policy = services.get_current_policy()
    if form.validate_on_submit():
        try:
            verdict = applications.submit_request(_application(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            # The same page, after the same work, whether or not the address was already known.
            return render_template("membership/apply_received.html", verdict=verdict)
    return render_template(
        "membership/apply.html",
        form=form,
        policy=policy,
        admitted=describe_admitted_levels(policy.admitted_levels),
    ), 200 if not form.errors else 400


@bp.route("/nominate", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def nominate() -> Response | str | tuple[str, int]:
    form = NominationForm()
    policy = services.get_current_policy()
    if form.validate_on_submit():
        try:
            verdict = applications.submit_request(_application(form), referrer=current_user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(
                f"Thank you. {form.name.data} will hear from us by email"
                + ("." if verdict.eligible else "; their level is outside the policy."),
                "success",
            )
            return redirect(url_for("membership.nominate"))
    return render_template(
        "membership/nominate.html",
        form=form,
        left=applications.nominations_left(current_user),
        quota=policy.nomination_quota,
        admitted=describe_admitted_levels(policy.admitted_levels),
    ), 200 if not form.errors else 400


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def accept_invitation(token: str) -> Response | str | tuple[str, int]:
    try:
        invitation = services.check_invitation(token)
    except services.InvalidInvitation as error:
        return render_template("membership/invitation_invalid.html", message=error.message), 404
    form = AcceptInvitationForm()
    if not form.is_submitted():
        form.name.data = invitation.request.name
    if form.validate_on_submit():
        try:
            member = services.accept_invitation(
                token, form.name.data, form.password.data, form.accept_guidelines.data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            start_session(member)
            flash(f"Welcome to Council, {member.name}.", "success")
            return redirect(url_for("profiles.welcome"))
    return render_template(
        "membership/accept_invitation.html", form=form, invitation=invitation
    ), 200 if not form.errors else 400
