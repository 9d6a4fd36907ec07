"""Pictures that go: those no post took up within a day of their upload (an hourly job and
``community images clean``), and a leaving member's (``members/deletion.py``,
``members/erasure.py``).

Rows go in the transaction, files only after it commits: a rolled-back deletion leaves every
picture in place, and a failed unlink leaves at worst a file that no row names.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, delete

from community.core.clock import utcnow
from community.core.events import commit, on_commit
from community.extensions import db
from community.forum.models import PostImage
from community.forum.post_images import images_folder
from community.members.models import Member

# A composer's draft lives in the browser: a day is long enough to finish a post that shows
# a picture, short enough that abandoned uploads do not pile up.
UNUSED_LIFETIME = timedelta(hours=24)
CLEAN_EVERY_SECONDS = 3600


def delete_unused_images() -> int:
    """Delete the pictures no post used within ``UNUSED_LIFETIME`` of their upload, rows then
    files; returns how many went. A job and a CLI command: it commits."""
    count = _delete_images(
        PostImage.post_id.is_(None), PostImage.created_at < utcnow() - UNUSED_LIFETIME
    )
    commit()
    return count


def delete_member_images(member: Member, *, unused_only: bool = False) -> int:
    """Delete the member's pictures (``unused_only``: those no post of theirs shows), files
    after the caller's commit; returns how many rows went."""
    conditions = [PostImage.uploader_id == member.id]
    if unused_only:
        conditions.append(PostImage.post_id.is_(None))
    return _delete_images(*conditions)


def _delete_images(*conditions: ColumnElement[bool]) -> int:
    # One DELETE ... RETURNING, so the files removed are exactly the rows deleted: a post
    # that claims a picture at the same moment either keeps it (its UPDATE came first, so
    # the condition on post_id no longer holds) or finds it gone; a row that stays never
    # loses its file.
    gone = db.session.execute(
        delete(PostImage)
        .where(*conditions)
        .returning(PostImage.key, PostImage.extension)
        .execution_options(synchronize_session=False)
    ).all()
    names = [f"{key}.{extension}" for key, extension in gone]
    if names:
        on_commit(_remove_files, names)
    return len(names)


def _remove_files(names: list[str]) -> None:
    folder = images_folder()
    for name in names:
        (folder / name).unlink(missing_ok=True)
