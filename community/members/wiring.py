"""Members in the app: the blueprints, the session loader, the password-reset task, the
viewer's time zone for the core's time formatting, and the role and level helpers templates
use."""

from typing import Any

from flask import Flask
from flask_login import current_user

from community import access
from community.core.outbox import register_task
from community.core.timefmt import set_zone_lookup
from community.extensions import login_manager
from community.members import account_views
from community.members.levels import Level
from community.members.services import PASSWORD_RESET_TASK, request_password_reset
from community.members.sessions import load_member_for_session
from community.members.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(account_views.bp)
    set_zone_lookup(app, _viewer_time_zone)
    register_task(PASSWORD_RESET_TASK, request_password_reset)
    login_manager.user_loader(load_member_for_session)
    app.context_processor(_template_helpers)


def _viewer_time_zone() -> str | None:
    """The zone the signed-in member chose; None for visitors and for members who chose none
    (their browser's zone is used then)."""
    if current_user and current_user.is_authenticated:
        return current_user.time_zone
    return None


def _template_helpers() -> dict[str, Any]:
    return {
        "is_moderator": access.is_moderator,
        "is_owner": access.is_owner,
        "can_curate_library": access.can_curate_library,
        "can_manage_events": access.can_manage_events,
        "level_label": lambda value: Level(value).label,
    }
