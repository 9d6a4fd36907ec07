"""Profile photos: checked by content, stripped of metadata, cut to fixed squares, served
with a long cache lifetime to signed-in members only."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

from community.extensions import db
from community.members.photos import PHOTO_SIZES


def _png(width: int = 600, height: int = 400, colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0132] = "2026:11:01 09:30:00"  # DateTime
    exif[0x9286] = "Taken at home, 12 Elm Street"  # UserComment
    out = io.BytesIO()
    Image.new("RGB", (800, 500), "teal").save(out, "JPEG", exif=exif, comment=b"private note")
    return out.getvalue()


def _png_bomb(side: int = 20_000) -> bytes:
    """A real 20000x20000 one-bit PNG: ~50 MB of pixels packed into a few dozen KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" * (1 + side // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _upload(client, member, data: bytes, filename: str = "me.png", url: str = "/settings/profile"):
    form = {
        "name": member.name,
        "title": member.title,
        "company": member.company,
        "region": member.region,
        "bio": "Typed before the upload.",
        "interests": "",
        "directory_visibility": "all",
        "photo": (io.BytesIO(data), filename),
    }
    return client.submit(url, form, content_type="multipart/form-data")


def _photo_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "photos").glob("*.jpg"))


def test_a_png_becomes_three_centre_cropped_squares_served_for_a_year(app, as_member):
    client, me = as_member()
    response = _upload(client, me, _png(600, 400))
    assert response.status_code == 302
    db.session.refresh(me)
    assert me.photo
    files = _photo_files(app)
    assert [f.name for f in files] == sorted(f"{me.photo}-{size}.jpg" for size in PHOTO_SIZES)
    for size in PHOTO_SIZES:
        served = client.get(f"/photos/{me.photo}-{size}.jpg")
        assert served.status_code == 200
        assert served.mimetype == "image/jpeg"
        assert served.headers["Cache-Control"] == "private, max-age=31536000, immutable"
        with Image.open(io.BytesIO(served.get_data())) as image:
            assert image.size == (size, size)
            assert image.format == "JPEG"
        served.close()

    # Shown on the profile instead of initials, to another member too.
    other, _ = as_member(tier="strategist")
    page = other.get(f"/members/{me.id}").get_data(as_text=True)
    assert f"/photos/{me.photo}-256.jpg" in page


def test_exif_and_comments_are_gone_after_upload(app, as_member):
    client, me = as_member()
    original = _jpeg_with_exif()
    assert b"SpyCam" in original and b"Elm Street" in original
    assert _upload(client, me, original, "holiday.jpg").status_code == 302
    for path in _photo_files(app):
        data = path.read_bytes()
        assert b"SpyCam" not in data and b"Elm Street" not in data and b"private" not in data
        with Image.open(path) as image:
            assert not image.getexif()
            assert "exif" not in image.info and "comment" not in image.info


def test_a_text_file_named_png_is_refused_and_the_form_kept(app, as_member):
    client, me = as_member()
    response = _upload(client, me, b"#!/bin/sh\necho not a picture\n" * 20, "evil.png")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "not a picture we can read" in page
    assert "Typed before the upload." in page
    db.session.refresh(me)
    assert me.photo == "" and me.bio == ""
    assert _photo_files(app) == []


def test_a_decompression_bomb_is_refused_without_decoding_it(app, as_member):
    client, me = as_member()
    bomb = _png_bomb()
    assert len(bomb) < 200_000
    response = _upload(client, me, bomb, "huge.png")
    assert response.status_code == 400
    assert "too large to process" in response.get_data(as_text=True)
    assert _photo_files(app) == []


def test_an_animated_gif_keeps_its_first_frame(app, as_member):
    client, me = as_member()
    frames = [Image.new("RGB", (120, 120), colour) for colour in ("red", "blue", "green")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert _upload(client, me, out.getvalue(), "wave.gif").status_code == 302
    db.session.refresh(me)
    with Image.open(Path(app.instance_path) / "photos" / f"{me.photo}-48.jpg") as image:
        red, green, blue = image.convert("RGB").getpixel((24, 24))
    assert red > 200 and green < 60 and blue < 60


def test_replacing_or_removing_a_photo_deletes_the_old_files(app, as_member):
    client, me = as_member()
    _upload(client, me, _png(colour="red"))
    db.session.refresh(me)
    first = me.photo
    _upload(client, me, _png(colour="blue"))
    db.session.refresh(me)
    assert me.photo != first
    assert all(first not in f.name for f in _photo_files(app))
    assert client.get(f"/photos/{first}-96.jpg").status_code == 404

    form = {"name": me.name, "directory_visibility": "all", "remove_photo": "y"}
    assert client.submit("/settings/profile", form).status_code == 302
    db.session.refresh(me)
    assert me.photo == ""
    assert _photo_files(app) == []


def test_photos_are_for_signed_in_members_and_names_are_checked(app, as_member, client):
    signed_in, me = as_member()
    _upload(signed_in, me, _png())
    db.session.refresh(me)
    hidden_photo = f"/photos/{me.photo}-48.jpg"
    assert client.get(hidden_photo).status_code == 302  # a visitor is sent to sign in
    for name in ("..%2f..%2fconfig.py", f"{me.photo}-1000.jpg", "x.jpg", f"{me.photo}-48.png"):
        assert signed_in.get(f"/photos/{name}").status_code == 404


def test_members_without_a_photo_get_initials_not_a_third_party_avatar(as_member):
    client, me = as_member(name="Olivia O'Neil")
    page = client.get(f"/members/{me.id}").get_data(as_text=True)
    assert ">OO</span>" in page
    assert "gravatar" not in page.lower()
    assert "/photos/" not in page
