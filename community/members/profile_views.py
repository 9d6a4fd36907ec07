"""Profiles, the directory, photos, the welcome page and the community guidelines."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from community.core.errors import DomainError, NotFound
from community.core.forms import show_domain_error
from community.extensions import limiter
from community.members import directory, onboarding, photos, profiles
from community.members.profile_forms import PHOTO_HINT, PhotoAndBioForm, ProfileForm

bp = Blueprint("profiles", __name__)

# A year: a photo's name changes whenever the picture does. "private", not "public": the
# photos are for signed-in members only, so no shared cache (a proxy, a CDN) may keep them.
PHOTO_CACHE_CONTROL = "private, max-age=31536000, immutable"


def _per_member() -> str:
    return f"member:{current_user.id}"


# Each upload decodes and re-encodes a picture: a few per member and hour is plenty.
UPLOAD_LIMIT = limiter.limit("30 per hour", key_func=_per_member, methods=["POST"])


def _uploaded_photo(form: PhotoAndBioForm) -> bytes | None:
    upload = form.photo.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.read()


@bp.get("/members")
def directory_page() -> str:
    filters = directory.DirectoryFilters(
        tier=request.args.get("tier", "")[:40],
        level=request.args.get("level", "")[:20],
        region=request.args.get("region", "")[:80],
        company=request.args.get("company", "")[:120],
        interest=request.args.get("interest", "")[:40],
        sort=request.args.get("sort", directory.DirectorySort.NAME.value)[:20],
    )
    return render_template(
        "members/directory.html",
        page=directory.list_directory(current_user, filters, request.args.get("page", 1, type=int)),
        filters=filters,
        tiers=directory.tier_choices(),
        levels=directory.LEVEL_FILTER_CHOICES,
        regions=directory.region_choices(current_user),
        sorts=list(directory.DirectorySort),
    )


@bp.get("/members/<int:member_id>")
def profile(member_id: int) -> str:
    return render_template(
        "members/profile.html", view=profiles.get_profile_page(current_user, member_id)
    )


@bp.get("/members/@<handle>")
def profile_by_handle(handle: str) -> Response:
    """Where an @mention in a post leads."""
    member = profiles.get_member_by_handle(current_user, handle[:30])
    return redirect(url_for("profiles.profile", member_id=member.id))


@bp.route("/settings/profile", methods=["GET", "POST"])
@UPLOAD_LIMIT
def settings_profile() -> Response | tuple[str, int]:
    form = ProfileForm(obj=current_user)
    if not form.is_submitted():
        form.interests.data = ", ".join(interest.tag for interest in current_user.interests)
    if form.validate_on_submit():
        changes = profiles.ProfileChanges(
            name=form.name.data or "",
            title=form.title.data or "",
            company=form.company.data or "",
            region=form.region.data or "",
            bio=form.bio.data or "",
            interests=form.interests.data or "",
            directory_visibility=form.directory_visibility.data or "",
            photo=_uploaded_photo(form),
            remove_photo=form.remove_photo.data,
        )
        try:
            profiles.update_profile(current_user, changes)
        except NotFound:
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("profiles.settings_profile"))
    return render_template(
        "members/settings_profile.html", form=form, photo_hint=PHOTO_HINT
    ), 200 if not form.errors and not form.form_errors else 400


@bp.route("/welcome", methods=["GET", "POST"])
@UPLOAD_LIMIT
def welcome() -> Response | tuple[str, int]:
    """The first page after accepting an invitation; every part of it may be skipped."""
    form = PhotoAndBioForm(obj=current_user)
    if form.validate_on_submit():
        try:
            profiles.update_bio_and_photo(current_user, form.bio.data or "", _uploaded_photo(form))
        except NotFound:
            raise
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Thank you: peers now see who you are.", "success")
            return redirect(url_for("profiles.welcome"))
    return render_template(
        "members/welcome.html",
        form=form,
        photo_hint=PHOTO_HINT,
        communities=onboarding.suggested_communities(current_user),
        topics=onboarding.suggested_topics(current_user),
    ), 200 if not form.errors and not form.form_errors else 400


@bp.get("/guidelines")
def guidelines() -> str:
    return render_template("members/guidelines.html")


@bp.get("/photos/<name>")
def photo(name: str) -> Response:
    """Any signed-in member may load any photo: a hidden member's photo still shows on their
    posts. The app's sign-in rule keeps visitors out."""
    path = photos.photo_path(name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg", conditional=True, etag=True)
    response.headers["Cache-Control"] = PHOTO_CACHE_CONTROL
    return response
