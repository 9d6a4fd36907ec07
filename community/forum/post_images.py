"""Pictures pasted or dropped into the composer: checked by their content, cut to a width a
page can show, re-encoded from the pixels alone (no EXIF, no comments), stored under a
generated name in ``instance/post-images/`` and read back only through the access-checked
image route, as library files are.

Who may see one: its uploader, until a post of theirs shows it; from then on whoever may see
that post (``access.can_see_post_image``). A picture nobody may see answers 404, as a missing
one does. Lossless sources (PNG, GIF, WebP with transparency: screenshots, diagrams) stay PNG,
so text in them stays sharp; photos become JPEG. An animated GIF keeps its first frame.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from PIL import Image
from sqlalchemy import select, update

from community import access
from community.core.clock import utcnow
from community.core.cpu import run_off_event_loop
from community.core.errors import DomainError, NotFound, RateLimited
from community.core.events import commit
from community.core.pictures import encode, flatten, has_transparency, read_picture
from community.extensions import db
from community.forum.markdown import OWN_IMAGE_RE
from community.forum.models import Post, PostImage
from community.members.models import Member

MAX_WIDTH = 1600  # the widest a post column shows, twice over for sharp phone screens
MAX_HEIGHT = 4000  # a long screenshot stays readable; a 1x100000 strip does not become one
# Pixels decoded for one picture at most: a 40-megapixel camera picture, and far below what a
# decompression bomb (a small file that unpacks to gigabytes) asks for.
MAX_IMAGE_PIXELS = 40_000_000
_LOSSLESS_SOURCES = ("PNG", "GIF")
_MISSING = "There is no such picture."


@dataclass(frozen=True)
class PreparedImage:
    """The picture as it will be stored."""

    data: bytes
    extension: str
    width: int
    height: int


def prepare_image(data: bytes, max_mb: int) -> PreparedImage:
    """Check and convert an upload, or raise a DomainError on the ``image`` field. Pure: it
    runs off the event loop."""
    if not data:
        raise DomainError("The file is empty.", field="image")
    if len(data) > max_mb * 1024 * 1024:
        raise DomainError(f"Pictures can be up to {max_mb} MB.", field="image")
    # A JPEG decodes at 1/2, 1/4 or 1/8 scale while it stays at least MAX_WIDTH wide (the
    # height never needs more: the cut below only narrows): a 12 MP photo at half the cost.
    picture = read_picture(
        data, max_pixels=MAX_IMAGE_PIXELS, field="image", draft_size=(MAX_WIDTH, 1)
    )
    image = picture.image
    lossless = picture.source_format in _LOSSLESS_SOURCES or (
        picture.source_format == "WEBP" and has_transparency(image)
    )
    if lossless:
        image = image.convert("RGBA" if has_transparency(image) else "RGB")
    else:
        image = flatten(image)
    image.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
    image_format = "PNG" if lossless else "JPEG"
    return PreparedImage(
        data=encode(image, image_format),
        extension="png" if lossless else "jpg",
        width=image.width,
        height=image.height,
    )


def images_folder() -> Path:
    folder = Path(current_app.instance_path) / "post-images"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def image_url(image: PostImage) -> str:
    """The path posts show it under; ``markdown.OWN_IMAGE_RE`` recognises exactly these."""
    return f"/images/{image.file_name}"


def check_upload_rate(member: Member) -> None:
    """At most ``POST_IMAGES_PER_HOUR`` uploads in any hour, counted in the database so the
    limit holds across app processes; the refusal says when the next one is possible."""
    limit = current_app.config["POST_IMAGES_PER_HOUR"]
    window = timedelta(hours=1)
    recent = db.session.scalars(
        select(PostImage.created_at)
        .where(PostImage.uploader_id == member.id, PostImage.created_at >= utcnow() - window)
        .order_by(PostImage.created_at.desc())
        .limit(limit)
    ).all()
    if len(recent) >= limit:
        wait = max(1, math.ceil((recent[-1] + window - utcnow()).total_seconds()))
        raise RateLimited(
            f"You can add {limit} pictures an hour. Try again in {math.ceil(wait / 60)} minutes.",
            retry_after=wait,
        )


def upload_image(member: Member, data: bytes) -> PostImage:
    """Check, convert and store a picture; it is the member's alone until a post shows it."""
    check_upload_rate(member)
    prepared = run_off_event_loop(prepare_image, data, current_app.config["POST_IMAGE_MAX_MB"])
    image = PostImage(
        key=secrets.token_hex(16),
        extension=prepared.extension,
        uploader_id=member.id,
        width=prepared.width,
        height=prepared.height,
        size=len(prepared.data),
    )
    # Written before the commit: a failed commit leaves a file no row names, never a row
    # without its file.
    (images_folder() / image.file_name).write_bytes(prepared.data)
    db.session.add(image)
    commit()
    return image


def claim_images(member: Member, post: Post, keys: tuple[str, ...]) -> None:
    """The first post of its uploader's to show a picture makes it that post's, visible to
    the post's readers. Another member's picture is never claimed: it stays with its own post.
    Caller commits."""
    if not keys:
        return
    db.session.execute(
        update(PostImage)
        .where(
            PostImage.key.in_(keys),
            PostImage.uploader_id == member.id,
            PostImage.post_id.is_(None),
        )
        .values(post_id=post.id)
    )


def open_image(member: Member, name: str) -> tuple[PostImage, Path]:
    """The picture a URL names and its file, if the member may see it; NotFound otherwise."""
    match = OWN_IMAGE_RE.fullmatch(f"/images/{name}")
    if match is None:
        raise NotFound(_MISSING)
    image = db.session.scalar(select(PostImage).where(PostImage.key == match["key"]))
    if image is None or image.file_name != name or not access.can_see_post_image(member, image):
        raise NotFound(_MISSING)
    path = images_folder() / image.file_name
    if not path.is_file():
        raise NotFound(_MISSING)
    return image, path
