"""The composer's helpers for its script (static/js/composer.js): a preview from the server's
own renderer, and pictures pasted or dropped into the text, served back access-checked. The
forms work without them."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, send_file
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from community.core.errors import DomainError, RateLimited
from community.extensions import limiter
from community.forum import post_images
from community.forum.mention_links import link_mentions
from community.forum.preview import render_preview

bp = Blueprint("composer", __name__)

_MIMETYPES = {"png": "image/png", "jpg": "image/jpeg"}


def _per_member() -> str:
    return f"member:{current_user.id}"


@bp.post("/composer/preview")
@limiter.limit("60 per minute", key_func=_per_member)
def preview() -> ResponseReturnValue:
    """The sanitized HTML the text would be saved as, mentions linked as the thread page
    shows them, or the error a save would give."""
    try:
        html = render_preview(request.form.get("body", ""))
    except DomainError as error:
        return jsonify(error=error.message), 400
    return jsonify(html=str(link_mentions(html)))


@bp.post("/composer/images")
@limiter.limit("10 per minute", key_func=_per_member)  # bursts; the hourly limit is counted
def upload_image() -> ResponseReturnValue:
    """Store a picture; answers the Markdown that shows it."""
    try:
        image = post_images.upload_image(current_user, _uploaded_bytes())
    except RateLimited as error:
        return jsonify(error=error.message), 429, error.headers
    except DomainError as error:
        return jsonify(error=error.message), 400
    url = post_images.image_url(image)
    return jsonify(url=url, markdown=f"![]({url})", width=image.width, height=image.height), 201


def _uploaded_bytes() -> bytes:
    upload = request.files.get("image")
    if upload is None:
        return b""
    # A large upload is spooled to a temporary file: close it as soon as it is read.
    with upload.stream:
        return upload.read()


@bp.get("/images/<name>")
def image(name: str) -> Response:
    """A picture, to those who may see it (its uploader; then the readers of its post)."""
    item, path = post_images.open_image(current_user, name)
    response = send_file(path, mimetype=_MIMETYPES[item.extension], conditional=True, etag=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Member content behind a visibility check: no shared cache may keep it, and the browser
    # asks again each time (a 304 when unchanged), so a post that goes out of sight takes the
    # picture with it.
    response.headers["Cache-Control"] = "private, no-cache"
    return response
