from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from community.core.errors import DomainError, NotFound
from community.core.params import parse_ids
from community.extensions import csrf, limiter
from community.forum.communities import list_visible_communities
from community.notifications import badge, groups, services
from community.notifications.forms import settings_form
from community.notifications.kinds import COMMUNITY_DIGEST

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
def index() -> str:
    kind = groups.filter_kind(current_user, request.args.get("kind"))
    page = groups.list_groups(current_user, request.args.get("page", 1, type=int), kind)
    return render_template(
        "notifications/index.html",
        page=page,
        kind=kind,
        kinds=services.kinds_for(current_user),
    )


@bp.get("/notifications/<int:notification_id>", endpoint="open")
def open_notification(notification_id: int) -> Response:
    """Follow a notification: its group is read, then go to what it is about."""
    notification = groups.open_notification(current_user, notification_id)
    return redirect(notification.url)


def _back_to_list() -> Response:
    """The page of the list the form was on, with its filter."""
    kind = groups.filter_kind(current_user, request.form.get("kind"))
    return redirect(
        url_for(
            "notifications.index",
            page=request.form.get("page", 1, type=int),
            kind=kind.name if kind else None,
        )
    )


@bp.post("/notifications/<int:notification_id>/read")
def read(notification_id: int) -> Response:
    services.mark_read(current_user, notification_id)
    return _back_to_list()


@bp.post("/notifications/group/read")
def read_group() -> Response:
    """Mark one group read: every unread row in it (of the kind the list was filtered by)."""
    kind = groups.filter_kind(current_user, request.form.get("kind"))
    groups.mark_group_read(current_user, request.form.get("group", ""), kind)
    return _back_to_list()


@bp.post("/notifications/read-all")
def read_all() -> Response:
    count = services.mark_all_read(current_user)
    flash(f"Marked {count} notification{'s' if count != 1 else ''} as read.", "info")
    return redirect(url_for("notifications.index"))


@bp.get("/notifications/since")
def since() -> Response | tuple[Response, int]:
    """What a reconnecting page missed (``since`` is the ISO time of the last one it holds)."""
    try:
        moment = datetime.fromisoformat(request.args.get("since", ""))
    except ValueError:
        return jsonify(error="Give since= as an ISO 8601 date and time."), 400
    if moment.tzinfo is None:
        return jsonify(error="since= needs a time zone, e.g. 2026-11-23T12:00:00+00:00."), 400
    rows = services.notifications_since(current_user, moment)
    return jsonify(
        notifications=[n.as_payload() for n in rows],
        unread_count=badge.unread_count(current_user),
    )


@bp.route("/settings/notifications", methods=["GET", "POST"])
def settings() -> Response | tuple[str, int]:
    kinds = services.kinds_for(current_user)
    communities = list(list_visible_communities(current_user))
    form = settings_form(kinds, services.current_settings(current_user))
    if form.validate_on_submit():
        choices = {kind.name: form[kind.name].data for kind in kinds}
        choices[COMMUNITY_DIGEST.name] = form[COMMUNITY_DIGEST.name].data
        muted = set(parse_ids(request.form.getlist("muted")))
        try:
            services.save_settings(current_user, choices, communities, muted)
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash("Your notification settings are saved.", "success")
            return redirect(url_for("notifications.settings"))
    status = 400 if form.errors else 200
    return render_template(
        "notifications/settings.html",
        form=form,
        kinds=kinds,
        digest_kind=COMMUNITY_DIGEST,
        communities=communities,
        muted=services.muted_community_ids(current_user),
    ), status


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; mail clients POST here with no session (RFC 8058)
@limiter.limit("30 per minute")
def unsubscribe(token: str) -> str | tuple[str, int]:
    try:
        member, kind = services.read_unsubscribe_token(token)
    except NotFound:
        return render_template("notifications/unsubscribe.html", invalid=True), 404
    done = request.method == "POST"
    if done:
        services.unsubscribe(token)
    return render_template(
        "notifications/unsubscribe.html",
        invalid=False,
        done=done,
        what=services.unsubscribe_label(kind),
        member=member,
    )
