"""Private contact in the app: the blueprint, the event handlers, and the helpers the header
and the profile's contact button read."""

from typing import Any

from flask import Flask
from flask_login import current_user

from community import access
from community.messages import handlers
from community.messages.conversations import unread_conversation_count
from community.messages.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    handlers.subscribe_all()
    app.context_processor(_template_helpers)


def _template_helpers() -> dict[str, Any]:
    def unread_conversations() -> int:
        return unread_conversation_count(current_user) if current_user.is_authenticated else 0

    def contact_option(member: Any) -> str | None:
        option = access.contact_option(current_user, member) if member is not None else None
        return option.value if option is not None else None

    return {"unread_conversations": unread_conversations, "contact_option": contact_option}
