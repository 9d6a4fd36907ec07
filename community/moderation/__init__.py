"""Moderation: the review queue for membership requests, members' standing, flags on posts."""

from flask import Flask


def init_app(app: Flask) -> None:
    # Imported here: the forum uses moderation.sales_pitch, and these views use the forum.
    from community.moderation.flag_views import members_bp
    from community.moderation.models import FlagReason
    from community.moderation.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(members_bp)
    # The thread page offers the flag reasons without the forum importing moderation.
    app.context_processor(lambda: {"flag_reasons": [(r.value, r.label) for r in FlagReason]})
