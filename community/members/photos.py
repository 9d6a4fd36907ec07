"""Profile photos: checked by their content with Pillow, stripped of metadata, cut to a few
fixed squares and stored under ``instance/photos/`` with content-hashed names.

Nothing the member sent is stored as sent: each size is re-encoded from the pixels alone, so
EXIF (camera, place, time), comments and colour profiles are gone, and a file that merely
claims to be a picture is refused. A name changes whenever the picture does, which lets the
photo route tell browsers to keep a file for a year.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from community.core.errors import DomainError

PHOTO_SIZES = (48, 96, 256)
MAX_PHOTO_MB = 8
# Pixels decoded for one photo at most: a 40-megapixel camera picture, and far below what a
# decompression bomb (a small file that unpacks to gigabytes) asks for.
MAX_PHOTO_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
_FILE_NAME_RE = re.compile(r"(?P<stem>[0-9a-f]{32})-(?P<size>\d+)\.jpg")
_NOT_A_PICTURE = "That file is not a picture we can read; send a JPEG, PNG, GIF or WebP."


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
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it: treat that as a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                # Read from the header, before a single pixel is decoded.
                if image.width * image.height > MAX_PHOTO_PIXELS:
                    raise _too_large()
                image.seek(0)  # an animated file: its first frame
                # JPEG decodes at 1/2, 1/4 or 1/8 scale when asked: a 12 MP photo then costs a
                # fraction of the time, and the largest square is still cut from enough pixels.
                image.draft("RGB", (2 * max(PHOTO_SIZES), 2 * max(PHOTO_SIZES)))
                picture = _flatten(ImageOps.exif_transpose(image))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise DomainError(_NOT_A_PICTURE, field="photo") from None
    files = {size: _square_jpeg(picture, size) for size in PHOTO_SIZES}
    digest = hashlib.sha256(f"{member_id}:".encode() + files[max(PHOTO_SIZES)]).hexdigest()
    return PreparedPhoto(stem=digest[:32], files=files)


def _too_large() -> DomainError:
    limit = MAX_PHOTO_PIXELS // 1_000_000
    return DomainError(
        f"That picture is too large to process (over {limit} megapixels); send a smaller one.",
        field="photo",
    )


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels only; transparency goes onto white, as the page behind it is."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _square_jpeg(picture: Image.Image, size: int) -> bytes:
    square = ImageOps.fit(picture, (size, size), Image.Resampling.LANCZOS)
    # Pillow carries what it read from the upload (a JPEG comment, say) into what it writes;
    # with no info and no exif=, icc_profile= or comment=, the file holds pixels only.
    square.info.clear()
    out = io.BytesIO()
    square.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


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
