"""Discussions in the app: the forum's blueprints, its unread tracking and its commands."""

from flask import Flask

from community.forum import composer_views, drafts
from community.forum.cli import tracking_group
from community.forum.post_list import init_post_list_cache
from community.forum.tracking import subscribe_tracking
from community.forum.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(composer_views.bp)
    app.add_template_global(drafts.take_posted, "posted_drafts")
    app.cli.add_command(tracking_group)
    subscribe_tracking()
    init_post_list_cache(app)
