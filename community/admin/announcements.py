"""Owners' announcements from the browser: write, preview (text, link, audience), then send."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from community.admin.forms import AnnouncementForm
from community.admin.views import bp
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.forms import choices, show_domain_error
from community.membership.services import get_tiers
from community.notifications import announcements


@bp.route("/announcements", methods=["GET", "POST"])
def announce() -> ResponseReturnValue:
    form = AnnouncementForm()
    form.tier.choices = choices(
        ("", "Every active member"),
        *[(tier.slug, f"{tier.name} tier and above") for tier in get_tiers()],
    )
    preview = None
    if form.validate_on_submit():
        text, url, tier = form.text.data, form.url.data or "/", form.tier.data or ""
        try:
            if request.form.get("action") == "send":
                count = announcements.announce(text, url, tier, author=current_user)
                flash(f"Announced to {count} member{'s' if count != 1 else ''}.", "success")
                return redirect(url_for("admin.announce"))
            preview = announcements.prepare_announcement(text, url, tier)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            show_domain_error(form, error)
    return render_template("admin/announce.html", form=form, preview=preview), (
        400 if form.errors or form.form_errors else 200
    )
