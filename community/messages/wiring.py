"""Private contact in the app: the blueprint, the event handlers, and the helpers the header
and the profile's contact button read."""

from typing import Any

from flask import Flask
from flask_login import current_user

from community import access
from community.core.navigation import HeaderCount, header_count, register_header_count
from community.messages import handlers
from community.messages.conversations import unread_conversations_query
from community.messages.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    handlers.subscribe_all()
    register_header_count(HeaderCount("conversations", unread_conversations_query))
    app.context_processor(_template_helpers)


def _template_helpers() -> dict[str, Any]:
    def unread_conversations() -> int:
        if not current_user.is_authenticated:
            return 0
        return header_count(current_user, "conversations")

    def contact_option(member: Any) -> str | None:
        option = access.contact_option(current_user, member) if member is not None else None
        return option.value if option is not None else None

    return {"unread_conversations": unread_conversations, "contact_option": contact_option}
