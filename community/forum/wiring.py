"""Discussions in the app: the forum's blueprints, its unread tracking, its commands and the
hourly clean-up of pasted pictures no post took up."""

from flask import Flask
from flask_login import user_logged_out

from community.core import jobs
from community.forum import composer_views, drafts, image_cleanup
from community.forum.cli import images_group, tracking_group
from community.forum.mention_links import link_mentions
from community.forum.post_list import init_post_list_cache
from community.forum.tracking import subscribe_tracking
from community.forum.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(composer_views.bp)
    app.add_template_global(drafts.take_posted, "posted_drafts")
    app.add_template_global(drafts.draft_prefix, "draft_prefix")
    app.add_template_global(drafts.take_signed_out_prefix, "signed_out_drafts")
    user_logged_out.connect(drafts.note_signed_out, app)
    app.add_template_filter(link_mentions, "link_mentions")
    app.cli.add_command(tracking_group)
    app.cli.add_command(images_group)
    jobs.register(
        "unused-post-images", image_cleanup.CLEAN_EVERY_SECONDS, image_cleanup.delete_unused_images
    )
    subscribe_tracking()
    init_post_list_cache(app)
