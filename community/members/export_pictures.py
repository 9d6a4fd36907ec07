"""The pictures a member pasted into the composer, for their data export: each stored file
goes into the zip's ``pictures/`` folder as it is served, and the ``pictures`` section lists
them with the post that shows each (empty for one no post took up yet)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from community.extensions import db
from community.forum.models import Post, PostImage, Thread
from community.forum.post_images import images_folder
from community.members.export_activity import Row, iso, thread_title
from community.members.models import Member

FOLDER = "pictures"


def _their_images(member: Member) -> list[tuple[PostImage, Post | None, Thread | None]]:
    rows = db.session.execute(
        select(PostImage, Post, Thread)
        .outerjoin(Post, PostImage.post_id == Post.id)
        .outerjoin(Thread, Post.thread_id == Thread.id)
        .where(PostImage.uploader_id == member.id)
        .order_by(PostImage.id)
    )
    return [(image, post, thread) for image, post, thread in rows]


def _stored(image: PostImage) -> Path | None:
    path = images_folder() / image.file_name
    return path if path.is_file() else None


def pictures(member: Member) -> list[Row]:
    """One row per picture; ``file`` is its place in the zip ("" if its file is lost)."""
    return [
        {
            "file": f"{FOLDER}/{image.file_name}" if _stored(image) else "",
            "post_id": post.id if post is not None else "",
            "thread_id": thread.id if thread is not None else "",
            "thread_title": thread_title(member, thread) if thread is not None else "",
            "uploaded_at": iso(image.created_at),
            "width": image.width,
            "height": image.height,
            "size_bytes": image.size,
        }
        for image, post, thread in _their_images(member)
    ]


def picture_files(member: Member) -> list[tuple[str, Path]]:
    """(name in the zip, stored file) for each picture whose file is there."""
    files = []
    for image, _post, _thread in _their_images(member):
        path = _stored(image)
        if path is not None:
            files.append((f"{FOLDER}/{image.file_name}", path))
    return files
