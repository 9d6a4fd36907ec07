"""Export my data: built by the queue worker, mailed as a link that works for its owner only
and for seven days, one a day, and holding what the member made but nothing others may not see."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum import reactions
from community.forum import services as forum
from community.forum.models import Post
from community.members import export
from community.members.export_activity import OUT_OF_SIGHT
from community.members.export_models import DataExport
from community.messages import conversations
from community.messages.contact import ask_introduction, decline_introduction
from community.notifications.models import Notification
from tests import factories
from tests.conftest import run_queued_work

LINK = re.compile(r"https?://\S+/settings/export/[\w-]+")


def ask_and_build(client, outbox) -> str:
    """Ask for an export as the member would; return the download path from the email."""
    response = client.submit("/settings/export")
    assert response.status_code == 302
    assert "Being prepared" in client.get("/settings/export").get_data(as_text=True)
    mails = [m for m in outbox.messages if "export is ready" in m["Subject"]]
    assert len(mails) == 1
    return urlsplit(LINK.search(outbox.text(mails[0])).group(0)).path


def csv_rows(response, name: str) -> list[dict[str, str]]:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))


def sections(response) -> dict[str, object]:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()  # the file is streamed; closing it is the server's job in production
    names = set(archive.namelist())
    assert {"profile.json", "profile.csv", "posts.json", "posts.csv", "README.txt"} <= names
    return {
        name.removesuffix(".json"): json.loads(archive.read(name))
        for name in names
        if name.endswith(".json")
    }


def first_post_id(thread) -> int:
    return db.session.scalars(
        select(Post.id).where(Post.thread_id == thread.id, Post.number == 1)
    ).one()


def test_the_export_is_mailed_and_holds_what_the_member_made(app, as_member, outbox):
    client, member = as_member(tier="council")
    other = factories.make_member(tier_slug="council")
    community = factories.make_community("boardroom", tier="council")
    thread = factories.start_thread(member, community, "Board pay in 2027", "My opening view.")
    theirs = factories.start_thread(other, community, "Succession", "Their own opening.")
    reply = forum.reply(member, theirs.id, "A reply in my own words.")
    reactions.toggle_reaction(member, first_post_id(theirs), "like")
    factories.make_conversation(member, other, body="A private note from me.")
    forum.reply(other, thread.id, "Someone else's reply.")

    data = sections(client.get(ask_and_build(client, outbox)))

    assert data["profile"][0]["email"] == member.email
    assert data["profile"][0]["name"] == member.name
    bodies = {row["body"]: row["thread_title"] for row in data["posts"]}
    assert bodies["A reply in my own words."] == "Succession"
    assert bodies["My opening view."] == "Board pay in 2027"
    assert "Someone else's reply." not in bodies
    assert [row["title"] for row in data["threads_started"]] == ["Board pay in 2027"]
    assert [row["kind"] for row in data["reactions_given"]] == ["like"]
    assert [row["body"] for row in data["messages"]] == ["A private note from me."]
    assert data["conversations"][0]["other_participants"] == 1
    assert reply.id in {row["post_id"] for row in data["posts"]}
    page = client.get("/settings/export").get_data(as_text=True)
    assert "Ready" in page and "Download" in page


def test_only_its_owner_can_download_it_moderators_and_owners_included(app, as_member, outbox):
    client, _member = as_member()
    path = ask_and_build(client, outbox)
    for role in ("member", "moderator", "owner"):
        stranger, _ = as_member(role)
        assert stranger.get(path).status_code == 404
    assert app.test_client().get(path).status_code in (302, 401)  # a visitor signs in first
    assert client.get("/settings/export/not-a-key").status_code == 404


def test_one_export_a_day(as_member, outbox):
    client, _member = as_member()
    ask_and_build(client, outbox)

    again = client.submit("/settings/export")

    assert again.status_code == 429
    assert "one export a day" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(DataExport)).all()) == 1


def test_an_expired_link_says_so_and_its_file_is_removed(app, as_member, outbox):
    client, _member = as_member()
    path = ask_and_build(client, outbox)
    row = db.session.scalars(select(DataExport)).one()
    stored = Path(app.instance_path) / "exports" / f"{row.key}.zip"
    assert stored.is_file()
    assert not str(stored).startswith(str(app.static_folder))

    row.expires_at = utcnow() - timedelta(minutes=1)
    commit()

    gone = client.get(path)
    assert gone.status_code == 410
    assert "expired" in gone.get_data(as_text=True)
    assert "Expired" in client.get("/settings/export").get_data(as_text=True)
    assert export.remove_expired_exports() == 1
    assert not stored.exists()


def member_notified_about(words: str, member) -> bool:
    texts = db.session.scalars(select(Notification.text).where(Notification.member_id == member.id))
    return any(words in text for text in texts)


def test_nothing_out_of_sight_leaks_but_own_words_stay(app, as_member, outbox):
    """A thread the member replied to, later moved above their tier: their reply is theirs
    and stays, the thread's title (someone else's words) does not. A declined introduction
    reads "sent", as the sender's pages show it."""
    client, member = as_member(tier="executive")
    author = factories.make_member(tier_slug="council")
    community = factories.make_community("open-forum", tier="executive")
    secret = factories.start_thread(author, community, "Merger talks, unnamed", "Opening.")
    forum.reply(member, secret.id, "My careful answer.")
    forum.reply(author, secret.id, "The author answers back.")  # notifies the member
    run_queued_work()
    assert member_notified_about("Merger talks", member)
    community.min_tier = factories.tier("council")
    commit()
    left = factories.make_conversation(author, member, subject="Board seat for Ms Quist")
    conversations.leave(member, left.id)
    request = ask_introduction(member, author.id, "Would value your view on pricing.")
    decline_introduction(author, request.id)
    run_queued_work()

    data = sections(client.get(ask_and_build(client, outbox)))
    raw = json.dumps(data)

    assert [(row["body"], row["thread_title"]) for row in data["posts"]] == [
        ("My careful answer.", OUT_OF_SIGHT)
    ]
    assert "Merger talks" not in raw
    assert "Ms Quist" not in raw  # a conversation left: its subject was someone else's words
    assert [(row["direction"], row["status"]) for row in data["introductions"]] == [
        ("sent", "sent")
    ]


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(as_member, outbox):
    client, member = as_member()
    community = factories.make_community("sheets", tier="council")
    factories.start_thread(member, community, "Formulas", '=HYPERLINK("http://evil.example")')

    response = client.get(ask_and_build(client, outbox))

    [post] = csv_rows(response, "posts")
    response.close()
    assert post["body"] == """'=HYPERLINK("http://evil.example")"""
