"""Members flag posts and threads; moderators and chapter leads work through the queue of
flagged and held ones."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from community import access
from community.core.errors import DomainError, NotFound
from community.core.forms import act_and_flash
from community.forum.services import page_of_post_number
from community.moderation import flags
from community.moderation.models import FLAG_LABELS
from community.moderation.views import bp as moderation_bp

members_bp = Blueprint("flags", __name__)


@members_bp.post("/p/<int:post_id>/flag")
def flag(post_id: int) -> Response:
    try:
        post = flags.flag_post(
            current_user, post_id, request.form.get("reason", ""), request.form.get("text", "")
        )
    except NotFound:
        raise  # the 404 page, not a flashed message
    except DomainError as error:
        flash(error.message, "error")
        return redirect(request.referrer or url_for("home.index"))
    flash("Thank you. The moderators will review this post.", "success")
    page = page_of_post_number(current_user, post.thread, post.number)
    return redirect(
        url_for("forum.thread", thread_id=post.thread_id, page=page, _anchor=f"p{post.number}")
    )


@members_bp.post("/t/<int:thread_id>/flag")
def flag_thread(thread_id: int) -> Response:
    try:
        flags.flag_thread(
            current_user, thread_id, request.form.get("reason", ""), request.form.get("text", "")
        )
    except NotFound:
        raise  # the 404 page, not a flashed message
    except DomainError as error:
        flash(error.message, "error")
    else:
        flash("Thank you. The moderators will review this thread.", "success")
    return redirect(url_for("forum.thread", thread_id=thread_id))


@moderation_bp.get("/flags")
def flag_queue() -> str:
    page = flags.get_review_queue(current_user, request.args.get("page", 1, type=int))
    return render_template(
        "moderation/flags.html",
        page=page,
        decisions=list(flags.Decision),
        labels=FLAG_LABELS,
        moderator=access.is_moderator(current_user),
    )


def _decided(decide: Callable[[], object]) -> Response:
    act_and_flash(decide, "Done; the decision is in the audit log.")
    return redirect(url_for("moderation.flag_queue"))


@moderation_bp.post("/flags/<int:post_id>")
def decide(post_id: int) -> Response:
    decision, note = request.form.get("decision", ""), request.form.get("note", "")
    return _decided(lambda: flags.decide(current_user, post_id, decision, note))


@moderation_bp.post("/flags/thread/<int:thread_id>")
def decide_thread(thread_id: int) -> Response:
    decision, note = request.form.get("decision", ""), request.form.get("note", "")
    return _decided(lambda: flags.decide_thread(current_user, thread_id, decision, note))
