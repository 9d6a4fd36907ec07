"""Notifications in the app: the blueprint, the domain-event subscribers, live sockets,
the header badge and the ``digest``/``announce`` commands."""

from typing import Any

from flask import Flask
from flask_login import current_user
from sqlalchemy import event, select

from community.core.clock import utcnow
from community.core.navigation import HeaderCount, header_count, register_header_count
from community.members.models import Member
from community.notifications import (
    announcements,
    badge_handlers,
    event_handlers,
    handlers,
    library_handlers,
    live,
    standing_handlers,
)
from community.notifications.badge import open_badge, unread_count
from community.notifications.cli import announce_command, digest_group
from community.notifications.models import UnreadBadge
from community.notifications.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    handlers.subscribe_all()
    event_handlers.subscribe_all()
    library_handlers.subscribe_all()
    badge_handlers.subscribe_all()
    standing_handlers.subscribe_all()
    announcements.subscribe_all()
    live.init_app(app)
    if not event.contains(Member, "after_insert", open_badge):  # once, though apps are many
        event.listen(Member, "after_insert", open_badge)
    register_header_count(HeaderCount("notifications", _kept_badge, fallback=unread_count))
    app.context_processor(_header_badge)
    app.cli.add_command(digest_group)
    app.cli.add_command(announce_command)


def _kept_badge(member_id: Any) -> Any:
    """The badge as kept on write; NULL (stale) is counted by ``unread_count``."""
    return select(UnreadBadge.unread).where(UnreadBadge.member_id == member_id).scalar_subquery()


def _header_badge() -> dict:
    """The header's unread count, counted only when a page shows it (not for emails)."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return header_count(current_user, "notifications")

    def live_since() -> str:
        return utcnow().isoformat()

    return {"unread_notifications": unread_notifications, "live_since": live_since}
