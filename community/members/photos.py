"""Profile photos: checked by their content with Pillow, stripped of metadata, cut to a few
fixed squares and stored under ``instance/photos/`` with content-hashed names.

Nothing the member sent is stored as sent: each size is re-encoded from the pixels alone, so
EXIF (camera, place, time), comments and colour profiles are gone, and a file that merely
claims to be a picture is refused. A name changes whenever the picture does, which lets the
photo route tell browsers to keep a file for a year.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps

from community.core.errors import DomainError
from community.core.pictures import encode, flatten, read_picture

PHOTO_SIZES = (48, 96, 256)
MAX_PHOTO_MB = 8
# Pixels decoded for one photo at most: a 40-megapixel camera picture, and far below what a
# decompression bomb (a small file that unpacks to gigabytes) asks for.
MAX_PHOTO_PIXELS = 40_000_000
_FILE_NAME_RE = re.compile(r"(?P<stem>[0-9a-f]{32})-(?P<size>\d+)\.jpg")


@dataclass(frozen=True)
class PreparedPhoto:
    """The photo at each size, encoded and ready to store under ``stem``."""

    stem: str
    files: dict[int, bytes]


def prepare_photo(data: bytes, member_id: int) -> PreparedPhoto:
    """Check and convert an upload, or raise a DomainError on the ``photo`` field."""
    if not data:
        raise DomainError("The file is empty.", field="photo")
    if len(data) > MAX_PHOTO_MB * 1024 * 1024:
        raise DomainError(f"Photos can be up to {MAX_PHOTO_MB} MB.", field="photo")
    # The largest square is still cut from enough pixels when a JPEG decodes at a fraction.
    draft = (2 * max(PHOTO_SIZES), 2 * max(PHOTO_SIZES))
    picture = read_picture(data, max_pixels=MAX_PHOTO_PIXELS, field="photo", draft_size=draft)
    flat = flatten(picture.image)
    files = {size: _square_jpeg(flat, size) for size in PHOTO_SIZES}
    digest = hashlib.sha256(f"{member_id}:".encode() + files[max(PHOTO_SIZES)]).hexdigest()
    return PreparedPhoto(stem=digest[:32], files=files)


def _square_jpeg(picture: Image.Image, size: int) -> bytes:
    return encode(ImageOps.fit(picture, (size, size), Image.Resampling.LANCZOS), "JPEG")


def photos_folder() -> Path:
    folder = Path(current_app.instance_path) / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_name(stem: str, size: int) -> str:
    return f"{stem}-{size}.jpg"


def store_photo(photo: PreparedPhoto) -> None:
    folder = photos_folder()
    for size, data in photo.files.items():
        (folder / file_name(photo.stem, size)).write_bytes(data)


def remove_photo(stem: str) -> None:
    """Delete every size of a photo (when it is replaced, removed, or its member leaves)."""
    if not _FILE_NAME_RE.fullmatch(file_name(stem, PHOTO_SIZES[0])):
        return
    for size in PHOTO_SIZES:
        (photos_folder() / file_name(stem, size)).unlink(missing_ok=True)


def photo_path(name: str) -> Path | None:
    """The stored file a photo URL names, or None when the name is not one ``store_photo``
    writes (so no path from a URL ever leaves the folder) or the file is gone."""
    match = _FILE_NAME_RE.fullmatch(name)
    if match is None or int(match["size"]) not in PHOTO_SIZES:
        return None
    path = photos_folder() / name
    return path if path.is_file() else None
