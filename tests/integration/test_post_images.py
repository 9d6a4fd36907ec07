"""Pictures pasted into the composer: checked by content, cut to a page's width, stripped of
metadata, and shown only to their uploader until a post shows them, then to that post's
readers; a picture out of sight answers 404 like a missing one."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from community.extensions import db
from community.forum import services as forum
from community.forum.models import ChapterLead, Post, Thread
from community.forum.post_images import MAX_WIDTH
from tests.factories import make_community, make_member, start_thread
from tests.integration.test_member_photos import _jpeg_with_exif, _png, _png_bomb

IMAGE_URL = re.compile(r"^!\[\]\((/images/[0-9a-f]{32}\.(png|jpg))\)$")


def upload(client, data: bytes, filename: str = "pasted.png"):
    return client.submit(
        "/composer/images",
        {"image": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def uploaded_url(client, data: bytes, filename: str = "pasted.png") -> str:
    response = upload(client, data, filename)
    assert response.status_code == 201, response.get_data(as_text=True)
    match = IMAGE_URL.match(response.get_json()["markdown"])
    assert match, response.get_json()
    return match.group(1)


def fetch(client, url: str):
    """The answer to a GET, read and closed (a file served is open until its answer closes)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def status(client, url: str) -> int:
    return fetch(client, url).status_code


def stored_files(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "post-images").glob("*"))


def test_a_wide_screenshot_is_cut_to_the_page_width_and_stays_png(app, as_member):
    client, _ = as_member()
    url = uploaded_url(client, _png(3_200, 1_000))
    assert url.endswith(".png")
    served = fetch(client, url)
    assert served.status_code == 200
    assert served.mimetype == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "private, no-cache"
    with Image.open(io.BytesIO(served.get_data())) as image:
        assert image.size == (MAX_WIDTH, 500)


def test_a_photo_loses_its_exif_and_comment(app, as_member):
    client, _ = as_member()
    url = uploaded_url(client, _jpeg_with_exif(), "holiday.jpg")
    assert url.endswith(".jpg")
    data = fetch(client, url).get_data()
    for secret in (b"SpyCam", b"Elm Street", b"private note", b"Exif"):
        assert secret not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (800, 500)


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"MZ\x90\x00 not a picture at all", "innocent.png", "not a picture we can read"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "x.svg", "not a picture"),
        (b"%PDF-1.7 a document", "scan.jpg", "not a picture we can read"),
        (b"", "empty.png", "The file is empty."),
    ],
)
def test_anything_but_a_picture_is_refused_by_its_content(app, as_member, data, filename, message):
    client, _ = as_member()
    response = upload(client, data, filename)
    assert response.status_code == 400
    assert message in response.get_json()["error"]
    assert stored_files(app) == []


def test_a_decompression_bomb_is_refused_from_its_header(app, as_member):
    client, _ = as_member()
    response = upload(client, _png_bomb())
    assert response.status_code == 400
    assert "too large to process" in response.get_json()["error"]
    assert stored_files(app) == []


def test_too_big_a_file_is_refused(app, as_member):
    client, _ = as_member()
    app.config["POST_IMAGE_MAX_MB"] = 1
    # Encoded in memory: the test client spools large bodies to a file it never closes.
    boundary, body = encode_multipart(
        {
            "csrf_token": client.csrf_token(),
            "image": FileStorage(io.BytesIO(_png() + b"\0" * (1024 * 1024)), "big.png"),
        }
    )
    response = client.post(
        "/composer/images", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert "up to 1 MB" in response.get_json()["error"]


def test_uploads_are_limited_per_member_an_hour(app, as_member):
    app.config["POST_IMAGES_PER_HOUR"] = 2
    client, _ = as_member()
    assert [upload(client, _png(20, 20)).status_code for _ in range(3)] == [201, 201, 429]
    refused = upload(client, _png(20, 20))
    assert "2 pictures an hour" in refused.get_json()["error"]
    assert int(refused.headers["Retry-After"]) > 3_000
    other, _ = as_member()
    assert upload(other, _png(20, 20)).status_code == 201


def test_an_upload_needs_the_csrf_token(as_member):
    client, _ = as_member()
    forged = client.post(
        "/composer/images",
        data={"image": (io.BytesIO(_png(20, 20)), "x.png")},
        content_type="multipart/form-data",
    )
    assert forged.status_code == 400


# --- who may see a picture -------------------------------------------------------------------


def test_an_unused_picture_is_its_uploaders_alone(as_member):
    client, _ = as_member()
    url = uploaded_url(client, _png(40, 40))
    assert status(client, url) == 200
    other, _ = as_member()
    hidden = fetch(other, url)
    missing = fetch(other, url.replace(url[8:40], "0" * 32))
    assert hidden.status_code == missing.status_code == 404
    assert len(hidden.get_data()) == len(missing.get_data())  # the same page
    assert url[8:40] not in hidden.get_data(as_text=True)


def test_once_posted_a_picture_follows_its_posts_audience(as_member):
    board = make_community("board-room", tier="council")
    author_client, author = as_member(tier="council")
    url = uploaded_url(author_client, _png(40, 40))
    thread = start_thread(author, board, "Board pack", f"The chart:\n\n![]({url})")
    page = author_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert f'<img src="{url}" alt="" loading="lazy">' in page

    council_client, _ = as_member(tier="council")
    strategist_client, _ = as_member(tier="strategist")
    assert status(council_client, url) == 200
    assert status(strategist_client, url) == 404  # the thread is hidden from them

    deleted = author_client.submit(f"/p/{thread_first_post_id(thread)}/delete")
    assert deleted.status_code == 302
    assert status(council_client, url) == 404  # the post went, the picture with it
    assert status(author_client, url) == 404  # its uploader's too: the post is out of sight


def test_a_deleted_replys_pictures_show_only_to_the_moderators_who_see_the_reply(as_member):
    lounge = make_community("lounge", tier="strategist")
    author_client, author = as_member(tier="strategist")
    url = uploaded_url(author_client, _png(40, 40))
    thread = start_thread(make_member(tier_slug="strategist"), lounge, "Dashboards", "Yours?")
    reply = forum.reply(author, thread.id, f"Ours:\n\n![]({url})")
    reader_client, _ = as_member(tier="strategist")
    moderator_client, _ = as_member("moderator", tier="strategist")
    lead_client, lead = as_member(tier="strategist")
    db.session.add(ChapterLead(community_id=lounge.id, member_id=lead.id))
    elsewhere_lead_client, elsewhere_lead = as_member(tier="strategist")
    db.session.add(
        ChapterLead(community_id=make_community("elsewhere").id, member_id=elsewhere_lead.id)
    )
    db.session.commit()
    assert status(reader_client, url) == 200

    assert author_client.submit(f"/p/{reply.id}/delete").status_code == 302

    assert status(reader_client, url) == 404
    assert status(author_client, url) == 404
    assert status(elsewhere_lead_client, url) == 404  # leads another chapter, not this one
    moderator_page = moderator_client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert url in moderator_page  # the deleted reply, as moderators see it
    assert status(moderator_client, url) == 200
    assert status(lead_client, url) == 200


def thread_first_post_id(thread: Thread) -> int:
    return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.number == 1))


def test_only_the_uploader_can_bring_a_picture_into_a_post(as_member):
    """Someone who learnt the address of another member's unused picture cannot publish it to
    a thread's readers by pasting the address into a post of their own."""
    community = make_community()
    owner_client, _ = as_member()
    url = uploaded_url(owner_client, _png(40, 40))
    snooper = make_member()
    start_thread(snooper, community, "Look", f"![]({url})")
    reader_client, _ = as_member()
    assert status(reader_client, url) == 404
