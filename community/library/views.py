from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from community import access
from community.core.clock import to_utc, utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.forms import act_and_flash, show_domain_error, wants_json
from community.core.params import parse_id
from community.core.security import safe_next_url
from community.library import paths, services, workflow
from community.library.attachments import Upload
from community.library.forms import PathForm, ResourceForm, ScheduleForm
from community.library.models import Kind, Status
from community.library.services import ResourceDraft

bp = Blueprint("library", __name__, url_prefix="/library")


@bp.get("")
def index() -> str:
    kind = request.args.get("kind", "")
    topic = request.args.get("topic", "")
    sort = request.args.get("sort", "newest")
    page = services.list_resources(
        current_user, kind, topic, sort, request.args.get("page", 1, type=int)
    )
    return render_template(
        "library/index.html",
        page=page,
        kinds=list(Kind),
        topics=services.list_topics(current_user),
        followed=services.followed_topic_ids(current_user),
        kind=kind,
        topic=topic,
        sort=sort if sort in services.SORTS else "newest",
    )


@bp.get("/<int:resource_id>")
def resource(resource_id: int) -> str:
    item = services.get_visible_resource(current_user, resource_id)
    html = render_template(
        "library/resource.html",
        resource=item,
        done=services.is_done(current_user, item),
        related=services.related_resources(current_user, item),
        discussion=services.discussion(current_user, item),
        earlier_discussions=services.earlier_discussions(current_user, item),
        followed=services.followed_topic_ids(current_user),
        figures=services.figures(current_user, item),
        can_edit=access.can_edit_resource(current_user, item),
    )
    services.record_view(current_user, item)  # after rendering: its commit expires the rows
    return html


@bp.get("/<int:resource_id>/file")
def download(resource_id: int) -> Response:
    item, path = services.open_attachment(current_user, resource_id)
    response = send_file(
        path, mimetype=item.attachment_type, as_attachment=True, download_name=item.attachment_name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Every file is member content behind a tier check: no shared cache (a proxy, a CDN) may
    # keep a copy for the next person, and the browser keeps none on disk either.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:resource_id>/done")
def mark_done(resource_id: int) -> Response:
    done = request.form.get("done") == "1"
    act_and_flash(
        lambda: services.set_done(current_user, resource_id, done),
        "Marked as done." if done else "Marked as not done.",
    )
    default = url_for("library.resource", resource_id=resource_id)
    return redirect(safe_next_url(request.form.get("next"), default))


@bp.post("/topics/<slug>/follow")
def follow(slug: str) -> Response:
    following = request.form.get("follow") == "1"
    topic = services.set_following(current_user, slug, following)
    message = f"You follow {topic.name}." if following else f"You no longer follow {topic.name}."
    if wants_json():  # the button turns into its opposite in place (static/js/actions.js)
        label = f"Unfollow {topic.name}" if following else f"Follow {topic.name}"
        return jsonify(following=following, label=label, message=message)
    flash(message, "success")
    default = url_for("library.index", topic=slug)
    return redirect(safe_next_url(request.form.get("next"), default))


# --- Editing --------------------------------------------------------------------------------


def _draft(form: ResourceForm) -> ResourceDraft:
    return ResourceDraft(
        kind=form.kind.data or "",
        title=form.title.data or "",
        summary=form.summary.data or "",
        body=form.body.data or "",
        min_tier=form.min_tier.data or "",
        topics=form.topics.data or "",
        authors=form.authors.data or "",
        external_url=form.external_url.data or "",
        remove_attachment=form.remove_attachment.data,
    )


def _upload(form: ResourceForm) -> Upload | None:
    storage = form.attachment.data
    if not isinstance(storage, FileStorage) or not storage.filename:
        return None
    # Read one byte past the limit: enough to tell the member the file is too large.
    limit = current_app.config["LIBRARY_MAX_UPLOAD_MB"] * 1024 * 1024
    return Upload(storage.filename, storage.read(limit + 1))


def _tier_choices(form: ResourceForm) -> None:
    form.min_tier.choices = [(t.slug, t.name) for t in services.tier_choices(current_user)]


@bp.route("/new", methods=["GET", "POST"])
@access.editor_required
def new() -> Response | tuple[str, int]:
    form = ResourceForm()
    _tier_choices(form)
    if request.method == "GET":
        form.authors.data = f"@{current_user.handle}"
    if form.validate_on_submit():
        try:
            item = services.create_resource(current_user, _draft(form), _upload(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Draft saved.", "success")
            return redirect(url_for("library.edit", resource_id=item.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("library/edit.html", form=form, resource=None), status


@bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])
def edit(resource_id: int) -> Response | tuple[str, int]:
    item = services.get_editable_resource(current_user, resource_id)
    form = ResourceForm() if request.method == "POST" else _filled_form(item)
    _tier_choices(form)
    if form.validate_on_submit():
        try:
            services.update_resource(current_user, resource_id, _draft(form), _upload(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Saved.", "success")
            return redirect(url_for("library.edit", resource_id=resource_id))
    return _render_edit(item, form, ScheduleForm(formdata=None))


def _filled_form(item) -> ResourceForm:
    """The edit form showing what the resource holds now."""
    form = ResourceForm(formdata=None, obj=item)
    form.min_tier.data = item.min_tier.slug
    form.topics.data = ", ".join(topic.name for topic in item.topics)
    form.authors.data = ", ".join(f"@{author.handle}" for author in item.authors)
    return form


def _render_edit(item, form: ResourceForm, schedule: ScheduleForm) -> tuple[str, int]:
    status = 400 if form.errors or form.form_errors or schedule.errors else 200
    html = render_template(
        "library/edit.html",
        form=form,
        schedule=schedule,
        resource=item,
        moves=workflow.next_statuses(current_user, item),
        labels=workflow.ACTION_LABELS,
        history=workflow.history(item),
        figures=services.figures(current_user, item),
    )
    return html, status


@bp.post("/<int:resource_id>/transition")
def transition(resource_id: int) -> Response | tuple[str, int]:
    item = services.get_editable_resource(current_user, resource_id)
    target = request.form.get("to", "")
    schedule = ScheduleForm()
    publish_at = None
    try:
        if target == Status.SCHEDULED and schedule.validate_on_submit():
            publish_at = _publish_at(schedule)
        workflow.transition(current_user, resource_id, target, publish_at)
    except PermissionDenied:
        raise  # the 403 page, not a flashed message
    except DomainError as error:
        if error.field == "publish_at":
            schedule.publish_date.errors = [*schedule.publish_date.errors, error.message]
            form = _filled_form(item)
            _tier_choices(form)
            return _render_edit(item, form, schedule)
        flash(error.message, "error")
    else:
        flash(f"Now {Status(target).label.lower()}.", "success")
    return redirect(url_for("library.edit", resource_id=resource_id))


def _publish_at(schedule: ScheduleForm) -> datetime | None:
    """The chosen wall-clock time as UTC, refused (as for events) if the clocks skip it."""
    day, time = schedule.publish_date.data, schedule.publish_time.data
    if not (day and time):
        return None
    return to_utc(datetime.combine(day, time), schedule.time_zone.data, "publish_at")


@bp.get("/calendar")
@access.editor_required
def calendar() -> str:
    now = utcnow()
    year, month = now.year, now.month
    raw = request.args.get("month", "")
    if raw:
        try:
            year, month = (int(part) for part in raw.split("-", 1))
        except ValueError:
            abort(404)
    view = workflow.calendar_month(current_user, year, month)
    return render_template("library/calendar.html", month=view, today=now.date())


@bp.post("/promote/<int:thread_id>")
@access.editor_required
def promote(thread_id: int) -> Response:
    item = workflow.promote_thread(current_user, thread_id)
    flash("A draft was made from the thread. Edit it, then submit it for review.", "success")
    return redirect(url_for("library.edit", resource_id=item.id))


# --- Learning paths -------------------------------------------------------------------------


@bp.get("/paths")
def path_list() -> str:
    return render_template("library/paths.html", views=paths.list_paths(current_user))


@bp.get("/paths/<int:path_id>")
def path(path_id: int) -> str:
    view = paths.get_path(current_user, path_id)
    return render_template("library/path.html", view=view)


@bp.route("/paths/new", methods=["GET", "POST"], defaults={"path_id": None})
@bp.route("/paths/<int:path_id>/edit", methods=["GET", "POST"])
@access.editor_required
def edit_path(path_id: int | None) -> Response | tuple[str, int]:
    existing = paths.get_path(current_user, path_id) if path_id else None
    form = PathForm(obj=existing.path if existing and request.method == "GET" else None)
    candidates, positions = paths.editing_choices(current_user, existing.path if existing else None)
    if form.validate_on_submit():
        positions = _positions(request.form)
        ordered = sorted(positions, key=lambda rid: (positions[rid], rid))
        try:
            saved = paths.save_path(
                current_user, path_id, form.title.data, form.summary.data or "", ordered
            )
        except (NotFound, PermissionDenied):
            raise  # their status pages, not a form error
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("Learning path saved.", "success")
            return redirect(url_for("library.path", path_id=saved.id))
    status = 400 if form.errors or form.form_errors else 200
    html = render_template(
        "library/edit_path.html",
        form=form,
        path_id=path_id,
        candidates=candidates,
        positions=positions,
    )
    return html, status


def _positions(form) -> dict[int, int]:
    """resource id -> position from the "position-<id>" inputs that hold a number."""
    positions = {}
    for key, value in form.items():
        if key.startswith("position-"):
            rid, position = parse_id(key.removeprefix("position-")), parse_id(value.strip())
            if rid is not None and position is not None:
                positions[rid] = position
    return positions
