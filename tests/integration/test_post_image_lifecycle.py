"""What happens to pasted pictures after the upload: the data export carries them, erasing
"everything I wrote" takes them, a plain account deletion keeps those its posts show, and
pictures no post took up within a day are cleaned away, rows and files."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from community.core import jobs
from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum.image_cleanup import delete_member_images
from community.forum.models import PostImage
from tests import factories
from tests.integration.test_data_export import ask_and_build
from tests.integration.test_member_photos import _png
from tests.integration.test_post_images import fetch, status, uploaded_url


def stored(app, url: str) -> Path:
    return Path(app.instance_path) / "post-images" / url.removeprefix("/images/")


def age(url: str, hours: float) -> None:
    """Make the upload behind ``url`` that many hours old."""
    key = url.removeprefix("/images/").split(".")[0]
    db.session.execute(
        update(PostImage)
        .where(PostImage.key == key)
        .values(created_at=utcnow() - timedelta(hours=hours))
    )
    commit()


def image_rows() -> int:
    return len(db.session.scalars(select(PostImage.id)).all())


def post_with(member, url: str, community=None):
    community = community or factories.make_community(tier="council")
    return factories.start_thread(member, community, "With a chart", f"See:\n\n![]({url})")


# --- the data export -------------------------------------------------------------------------


def test_the_export_holds_the_pictures_files_and_the_post_each_is_in(app, as_member, outbox):
    client, member = as_member(tier="council")
    in_a_post = uploaded_url(client, _png(60, 40, "navy"))
    unused = uploaded_url(client, _png(30, 30, "teal"))
    thread = post_with(member, in_a_post)
    other_client, _ = as_member(tier="council")
    someone_elses = uploaded_url(other_client, _png(20, 20, "red"))

    response = client.get(ask_and_build(client, outbox))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()

    names = set(archive.namelist())
    in_zip = {f"pictures/{url.removeprefix('/images/')}": url for url in (in_a_post, unused)}
    assert set(in_zip) <= names
    assert f"pictures/{someone_elses.removeprefix('/images/')}" not in names
    for name, url in in_zip.items():
        assert archive.read(name) == fetch(client, url).get_data()  # the file as served
    listing = {
        row["file"]: row
        for row in csv.DictReader(io.StringIO(archive.read("pictures.csv").decode()))
    }
    assert set(listing) == set(in_zip)
    used_row = listing[f"pictures/{in_a_post.removeprefix('/images/')}"]
    assert used_row["thread_id"] == str(thread.id) and used_row["post_id"]
    assert used_row["thread_title"] == "With a chart"
    assert (used_row["width"], used_row["height"]) == ("60", "40")
    assert listing[f"pictures/{unused.removeprefix('/images/')}"]["post_id"] == ""
    assert "pictures/" in archive.read("README.txt").decode()


# --- leaving ---------------------------------------------------------------------------------


def test_erasing_everything_takes_every_picture_rows_and_files(app, as_member):
    client, member = as_member(tier="council")
    peer_client, _ = as_member(tier="council")
    in_a_post = uploaded_url(client, _png(40, 40))
    unused = uploaded_url(client, _png(40, 40))
    post_with(member, in_a_post)
    assert status(peer_client, in_a_post) == 200

    response = client.submit(
        "/settings/delete", {"password": factories.PASSWORD, "erase": "y", "confirm": "y"}
    )
    assert response.status_code == 302

    assert image_rows() == 0
    assert not stored(app, in_a_post).exists() and not stored(app, unused).exists()
    assert status(peer_client, in_a_post) == 404


def test_a_plain_deletion_keeps_the_pictures_posts_show_and_drops_the_rest(app, as_member):
    client, member = as_member(tier="council")
    peer_client, _ = as_member(tier="council")
    in_a_post = uploaded_url(client, _png(40, 40))
    unused = uploaded_url(client, _png(40, 40))
    post_with(member, in_a_post)

    response = client.submit("/settings/delete", {"password": factories.PASSWORD, "confirm": "y"})
    assert response.status_code == 302

    assert status(peer_client, in_a_post) == 200  # the post others replied to stays whole
    assert stored(app, in_a_post).is_file()
    assert not stored(app, unused).exists()
    assert image_rows() == 1


def test_files_go_only_once_the_deletion_commits(app, as_member):
    client, member = as_member()
    url = uploaded_url(client, _png(40, 40))

    assert delete_member_images(member) == 1
    assert stored(app, url).is_file()  # the rows are gone in the transaction, not the file
    db.session.rollback()

    assert image_rows() == 1 and stored(app, url).is_file()
    assert status(client, url) == 200


# --- the clean-up of unused pictures ---------------------------------------------------------


def test_pictures_no_post_took_up_within_a_day_are_cleaned_by_the_command(app, as_member):
    client, member = as_member(tier="council")
    abandoned = uploaded_url(client, _png(40, 40))
    posted = uploaded_url(client, _png(40, 40))
    fresh = uploaded_url(client, _png(40, 40))
    post_with(member, posted)
    age(abandoned, 25)
    age(posted, 25)
    age(fresh, 23)

    result = app.test_cli_runner().invoke(args=["images", "clean"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 unused picture." in result.output

    assert status(client, abandoned) == 404 and not stored(app, abandoned).exists()
    assert status(client, posted) == 200 and status(client, fresh) == 200
    again = app.test_cli_runner().invoke(args=["images", "clean"])
    assert "Deleted 0 unused pictures." in again.output


def test_the_clean_up_runs_as_an_hourly_job(app, as_member):
    client, _ = as_member()
    abandoned = uploaded_url(client, _png(40, 40))
    age(abandoned, 48)
    job = next(job for job in jobs.registered() if job.name == "unused-post-images")
    assert job.interval_seconds == 3600

    job.run()

    assert image_rows() == 0 and not stored(app, abandoned).exists()
