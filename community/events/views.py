"""Event pages: thin views over ``services`` (planning) and ``rsvps`` (answers)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from community import access
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.forms import act_and_flash, choices, show_domain_error
from community.core.params import form_id
from community.events import ics, recordings, rsvps, services
from community.events.forms import EventForm
from community.events.models import ANSWER_LABELS, Answer, Event
from community.events.services import EventDraft
from community.membership.services import get_tiers

bp = Blueprint("events", __name__, url_prefix="/events")


def _manager_required() -> None:
    if not access.can_manage_events(current_user):
        abort(403)


@bp.get("")
def index() -> str:
    page = services.list_upcoming_events(current_user, request.args.get("page", 1, type=int))
    return render_template("events/list.html", page=page, past=False)


@bp.get("/past")
def past() -> str:
    page = services.list_past_events(current_user, request.args.get("page", 1, type=int))
    return render_template("events/list.html", page=page, past=True)


@bp.get("/<int:event_id>")
def show(event_id: int) -> str:
    event = services.get_visible_event(current_user, event_id)
    rsvp = rsvps.get_rsvp(current_user, event)
    return render_template(
        "events/event.html",
        event=event,
        rsvp=rsvp,
        position=rsvps.waiting_position(rsvp) if rsvp else None,
        attendance=rsvps.get_attendance(event),
        manages=access.can_manage_events(current_user),
        recording=_visible_recording(event),
        recording_choices=(
            recordings.recording_choices(current_user)
            if access.can_manage_events(current_user) and not event.is_cancelled
            else []
        ),
        labels=ANSWER_LABELS,
        choices=rsvps.CHOICES,
    )


def _visible_recording(event: Event):
    recording = event.recording
    if recording is None or not access.can_see_resource(current_user, recording):
        return None
    return recording


@bp.post("/<int:event_id>/recording")
def attach_recording(event_id: int) -> Response:
    services.get_visible_event(current_user, event_id)
    resource_id = form_id("recording")
    done = "The recording is linked to the event." if resource_id else "The recording is removed."
    act_and_flash(lambda: recordings.attach_recording(current_user, event_id, resource_id), done)
    return redirect(url_for("events.show", event_id=event_id))


@bp.get("/<int:event_id>.ics")
def calendar_file(event_id: int) -> Response:
    event = services.get_visible_event(current_user, event_id)
    response = Response(ics.render_event(event), mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event.id}.ics"'
    return response


@bp.post("/<int:event_id>/rsvp")
def rsvp(event_id: int) -> Response:
    try:
        answer = rsvps.respond(current_user, event_id, request.form.get("answer", ""))
    except NotFound:
        raise  # the 404 page, not a flashed message
    except DomainError as error:
        flash(error.message, "error")
    else:
        position = rsvps.waiting_position(answer)
        if position:
            flash(f"The event is full: you are number {position} on the waiting list.", "info")
        else:
            flash(
                f"Your answer is saved: {ANSWER_LABELS[Answer(answer.answer)].lower()}.", "success"
            )
    return redirect(url_for("events.show", event_id=event_id))


def _form(event: Event | None = None) -> EventForm:
    data = None
    if event is not None and request.method == "GET":
        data = {
            "title": event.title,
            "description": event.description,
            "starts_at": event.local_start.replace(tzinfo=None),
            "ends_at": event.local_end.replace(tzinfo=None),
            "timezone": event.timezone,
            "online": event.online,
            "location": event.location,
            "link": event.link,
            "capacity": event.capacity,
            "min_tier": event.min_tier.slug,
        }
    form = EventForm(data=data)
    form.timezone.choices = choices(*((name, name) for name in services.timezone_names()))
    form.min_tier.choices = choices(*((tier.slug, tier.name) for tier in get_tiers()))
    return form


def _draft(form: EventForm) -> EventDraft:
    return EventDraft(
        title=form.title.data or "",
        description=form.description.data or "",
        starts_local=form.starts_at.data,
        ends_local=form.ends_at.data,
        timezone=form.timezone.data or "",
        online=form.online.data,
        location=form.location.data or "",
        link=form.link.data or "",
        capacity=form.capacity.data,
        min_tier=form.min_tier.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> Response | tuple[str, int]:
    _manager_required()
    form = _form()
    if form.validate_on_submit():
        try:
            event = services.create_event(current_user, _draft(form))
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("The event is planned.", "success")
            return redirect(url_for("events.show", event_id=event.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("events/edit.html", form=form, event=None), status


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
def edit(event_id: int) -> Response | tuple[str, int]:
    event = services.get_visible_event(current_user, event_id)
    _manager_required()
    form = _form(event)
    if form.validate_on_submit():
        try:
            services.update_event(current_user, event_id, _draft(form))
        except PermissionDenied:
            raise  # the 403 page, not a form error
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash("The event is updated.", "success")
            return redirect(url_for("events.show", event_id=event_id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("events/edit.html", form=form, event=event), status


@bp.post("/<int:event_id>/cancel")
def cancel(event_id: int) -> Response:
    services.get_visible_event(current_user, event_id)
    act_and_flash(lambda: services.cancel_event(current_user, event_id), "The event is cancelled.")
    return redirect(url_for("events.show", event_id=event_id))
