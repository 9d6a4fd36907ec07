"""Members in the app: the blueprints, the session loader, the password-reset and data-export
tasks (and the hourly job that removes expired exports), the viewer's time zone for the core's
time formatting, and the role, level and profile helpers templates use."""

from typing import Any

from flask import Flask, url_for
from flask_login import current_user

from community import access
from community.core import jobs
from community.core.outbox import register_task
from community.core.timefmt import set_zone_lookup
from community.extensions import login_manager
from community.members import account_views, export, leave_views, photos
from community.members.levels import Level
from community.members.models import Member
from community.members.profile_views import bp as profiles_bp
from community.members.services import PASSWORD_RESET_TASK, request_password_reset
from community.members.sessions import load_member_for_session
from community.members.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(account_views.bp)
    set_zone_lookup(app, _viewer_time_zone)
    app.register_blueprint(profiles_bp)
    register_task(PASSWORD_RESET_TASK, request_password_reset)
    app.register_blueprint(leave_views.bp)
    register_task(export.BUILD_EXPORT_TASK, export.build_export)
    jobs.register("expired-exports", 3600, export.remove_expired_exports)
    login_manager.user_loader(load_member_for_session)
    app.context_processor(_template_helpers)


def _viewer_time_zone() -> str | None:
    """The zone the signed-in member chose; None for visitors and for members who chose none
    (their browser's zone is used then)."""
    viewer = current_user._get_current_object()
    return viewer.time_zone if viewer is not None and viewer.is_authenticated else None


def _template_helpers() -> dict[str, Any]:
    return {
        "is_moderator": access.is_moderator,
        "is_owner": access.is_owner,
        "can_curate_library": access.can_curate_library,
        "can_manage_events": access.can_manage_events,
        "level_label": lambda value: Level(value).label,
        "can_see_profile": lambda member: access.can_see_profile(current_user, member),
        "photo_url": photo_url,
        "initials": initials,
    }


def photo_url(member: Member, shown_px: int) -> str:
    """The member's photo for a box of ``shown_px`` pixels, sharp on a 2x screen, or "" when
    they have none (the page shows their initials)."""
    if not member.photo:
        return ""
    size = next((s for s in photos.PHOTO_SIZES if s >= 2 * shown_px), max(photos.PHOTO_SIZES))
    return url_for("profiles.photo", name=photos.file_name(member.photo, size))


def initials(name: str) -> str:
    """Two letters for a member without a photo: "Olivia O'Neil" gives "OO"."""
    words = [word for word in name.split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()
