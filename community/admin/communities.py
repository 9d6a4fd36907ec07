"""Owners' pages for communities: list, create, edit, archive, and chapter leads."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from community.admin.views import bp
from community.core.errors import DomainError
from community.core.forms import act_and_flash, choices, show_domain_error
from community.extensions import db
from community.forum import chapter_leads, communities
from community.forum.forms import CommunityForm
from community.forum.models import Community
from community.membership.services import get_tiers


def _form(**kwargs: object) -> CommunityForm:
    form = CommunityForm(**kwargs)
    form.min_tier.choices = choices(*[(tier.slug, tier.name) for tier in reversed(get_tiers())])
    return form


def _draft(form: CommunityForm) -> communities.CommunityDraft:
    return communities.CommunityDraft(
        name=form.name.data,
        slug=(form.slug.data or "").strip().lower(),
        description=form.description.data or "",
        category=form.category.data,
        min_tier=form.min_tier.data or "",
        is_chapter=form.is_chapter.data,
        position=form.position.data or 0,
    )


@bp.get("/communities")
def communities_list() -> str:
    return render_template("admin/communities.html", communities=communities.list_all_communities())


@bp.route("/communities/new", methods=["GET", "POST"])
def new_community() -> Response | tuple[str, int]:
    form = _form()
    if form.validate_on_submit():
        try:
            community = communities.create_community(current_user, _draft(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"{community.name} is open.", "success")
            return redirect(url_for("admin.communities_list"))
    return render_template("admin/community_form.html", form=form, community=None), (
        400 if form.errors else 200
    )


@bp.route("/communities/<int:community_id>", methods=["GET", "POST"])
def edit_community(community_id: int) -> Response | tuple[str, int]:
    community = db.session.get(Community, community_id)
    if community is None:
        abort(404)
    form = _form(obj=community, min_tier=community.min_tier.slug)
    if form.validate_on_submit():
        try:
            communities.update_community(current_user, community_id, _draft(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Saved.", "success")
            return redirect(url_for("admin.communities_list"))
    return render_template("admin/community_form.html", form=form, community=community), (
        400 if form.errors else 200
    )


@bp.post("/communities/<int:community_id>/archive")
def archive_community(community_id: int) -> Response:
    community = db.session.get(Community, community_id)
    archived = community is not None and community.archived_at is None
    communities.set_archived(current_user, community_id, archived)
    flash("Archived." if archived else "Restored.", "success")
    return redirect(url_for("admin.communities_list"))


def _lead_action(community_id: int, action, done: str) -> Response:
    act_and_flash(action, done)
    return redirect(url_for("admin.edit_community", community_id=community_id))


@bp.post("/communities/<int:community_id>/leads")
def appoint_lead(community_id: int) -> Response:
    handle = request.form.get("handle", "")
    return _lead_action(
        community_id,
        lambda: chapter_leads.appoint_lead(current_user, community_id, handle),
        "Chapter lead appointed.",
    )


@bp.post("/communities/<int:community_id>/leads/<int:member_id>/remove")
def remove_lead(community_id: int, member_id: int) -> Response:
    return _lead_action(
        community_id,
        lambda: chapter_leads.remove_lead(current_user, community_id, member_id),
        "Chapter lead removed.",
    )
