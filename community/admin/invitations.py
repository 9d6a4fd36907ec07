"""Owners' page of sent invitations: their state, filters, resend and revoke."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from community.admin.views import bp
from community.core.forms import act_and_flash
from community.membership import invitations


def _back() -> Response:
    """To the list as the owner was looking at it (filters and page kept)."""
    url = url_for("admin.invitations_list")
    kept = {key: request.args[key] for key in ("state", "q", "page") if request.args.get(key)}
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)


@bp.get("/invitations")
def invitations_list() -> str:
    filters = invitations.InvitationFilter(
        state=request.args.get("state", "").strip(), q=request.args.get("q", "").strip()
    )
    page, now = invitations.list_invitations(
        current_user, filters, page=request.args.get("page", 1, type=int)
    )
    return render_template(
        "admin/invitations.html",
        page=page,
        now=now,
        filters=filters,
        states=list(invitations.InvitationState),
        query=request.args.to_dict(),
    )


@bp.post("/invitations/<int:invitation_id>/resend")
def resend_invitation(invitation_id: int) -> Response:
    act_and_flash(
        lambda: invitations.resend_invitation(current_user, invitation_id),
        "Sent again with a new link; the old link no longer works.",
    )
    return _back()


@bp.post("/invitations/<int:invitation_id>/revoke")
def revoke_invitation(invitation_id: int) -> Response:
    act_and_flash(
        lambda: invitations.revoke_invitation(
            current_user, invitation_id, request.form.get("reason", "")
        ),
        "Revoked; its link now answers like an unknown link.",
    )
    return _back()
