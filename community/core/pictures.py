"""Pictures members upload (profile photos, images in posts): read by their content with Pillow,
within a pixel budget, and never kept as sent.

A file that merely claims to be a picture is refused; a decompression bomb (a small file that
unpacks to gigabytes of pixels) is refused from its header, before a pixel is decoded. Callers
re-encode from the pixels alone, so EXIF (camera, place, time), comments and colour profiles
are gone.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from community.core.errors import DomainError

ACCEPTED_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
NOT_A_PICTURE = "That file is not a picture we can read; send a JPEG, PNG, GIF or WebP."


@dataclass(frozen=True)
class Picture:
    """The first frame of an upload, upright, and the format it came in (``"PNG"``, ...)."""

    image: Image.Image
    source_format: str


def read_picture(
    data: bytes, *, max_pixels: int, field: str, draft_size: tuple[int, int] | None = None
) -> Picture:
    """Decode an upload, or raise a DomainError on ``field`` saying what is wrong with it.

    ``draft_size``: a JPEG may be decoded at 1/2, 1/4 or 1/8 scale when it is far larger than
    what the caller keeps; a 12 MP photo then costs a fraction of the time."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it: treat that as a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
                # Read from the header, before a single pixel is decoded.
                if image.width * image.height > max_pixels:
                    raise too_large(max_pixels, field)
                source_format = str(image.format)
                image.seek(0)  # an animated file: its first frame
                if draft_size:
                    image.draft("RGB", draft_size)
                upright = ImageOps.exif_transpose(image)
                upright.load()
                return Picture(upright, source_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large(max_pixels, field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise DomainError(NOT_A_PICTURE, field=field) from None


def too_large(max_pixels: int, field: str) -> DomainError:
    return DomainError(
        f"That picture is too large to process (over {max_pixels // 1_000_000} megapixels); "
        "send a smaller one.",
        field=field,
    )


def has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)


def flatten(image: Image.Image) -> Image.Image:
    """RGB pixels only; transparency goes onto white, as the page behind it is."""
    if has_transparency(image):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def encode(image: Image.Image, image_format: str) -> bytes:
    """The pixels alone, as ``"JPEG"`` or ``"PNG"``.

    Pillow carries what it read from the upload (a JPEG comment, say) into what it writes; with
    no info and no exif=, icc_profile= or comment=, the file holds pixels only."""
    image.info.clear()
    out = io.BytesIO()
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    else:
        # Not optimize=True: it tries every filter, and a screenshot then took a second.
        image.save(out, "PNG")
    return out.getvalue()
