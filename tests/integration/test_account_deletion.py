"""Delete my account: after the password (and second factor), at once, everywhere. The test
that matters: the member's email, name, handle and bio are nowhere afterwards, neither in any
table nor in any file under instance/ (search index included), and the goodbye email is the
only mail that still carries the address."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.extensions import db
from community.forum import reactions
from community.forum import services as forum
from community.forum.models import Post
from community.members.deletion import LAST_OWNER
from community.members.models import Member
from community.members.services import ask_for_password_reset
from community.search import indexing
from tests import factories
from tests.client import CSRF_PATTERN
from tests.conftest import run_queued_work
from tests.integration.test_two_factor import enrol

NAME = "Zebulon Quartermaine"
EMAIL = "zq.7731@northern-gardens.example"
BIO = "Grows rare hydrangeas above the Arctic Circle."
NEW_PASSWORD = "a brand new passphrase 42"


def rows_mentioning(needles: list[str]) -> list[str]:
    """Every table, every column, as text (JSON and bytes included)."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            for column, value in row.items():
                if isinstance(value, bytes):
                    text = value.decode("latin-1")
                elif isinstance(value, dict | list):
                    text = json.dumps(value)
                else:
                    text = str(value)
                found += [
                    f"{table.name}.{column}: {needle}"
                    for needle in needles
                    if needle.lower() in text.lower()
                ]
    return found


def files_mentioning(folder: str, needles: list[str]) -> list[str]:
    found = []
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            data = path.read_bytes().lower()
            found += [
                f"{path.relative_to(folder)}: {needle}"
                for needle in needles
                if needle.lower().encode() in data
            ]
    return found


def page_without(response, email: str) -> str:
    """The sign-in page as answered, less what differs by design (the address typed back, the
    form's token)."""
    return CSRF_PATTERN.sub("", response.get_data(as_text=True).replace(email, "@"))


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 400), "navy").save(out, "PNG")
    return out.getvalue()


def fill_the_account(client, member, peer) -> None:
    """A photo and bio, a thread, replies, a reaction and a conversation (which put the name
    in the peer's notifications), an audit entry with the address, an export."""
    profile = {
        "name": NAME,
        "title": "Chief Horticulture Officer",
        "company": "Quartermaine Holdings",
        "region": "Nordics",
        "bio": BIO,
        "interests": "gardens",
        "directory_visibility": "all",
        "photo": (io.BytesIO(png()), "me.png"),
    }
    saved = client.submit("/settings/profile", profile, content_type="multipart/form-data")
    assert saved.status_code == 302
    community = factories.make_community("gardens", tier="council")
    thread = factories.start_thread(member, community, "Cold-climate planting", "Opening post.")
    peer_reply = forum.reply(peer, thread.id, "A reply from a peer.")
    forum.reply(member, thread.id, "And my answer to it.")
    reactions.toggle_reaction(member, peer_reply.id, "like")
    factories.make_conversation(member, peer, body="Shall we talk offline?")
    changed = client.submit(
        "/settings/account/password",
        {
            "current_password": factories.PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert client.submit("/settings/export").status_code == 302
    run_queued_work()


def test_no_personal_data_is_left_anywhere(app, as_member, outbox):
    client, member = as_member(tier="council", name=NAME, email=EMAIL)
    handle, member_id = member.handle, member.id
    peer_client, peer = as_member(tier="council")
    fill_the_account(client, member, peer)
    indexing.rebuild()  # the index on disk holds the member's document
    needles = [EMAIL, "zebulon", "quartermaine", handle, "hydrangeas"]
    # The scans see what they look for: before, the data is in the tables and in the files.
    assert rows_mentioning(needles)
    assert files_mentioning(app.config["SEARCH_INDEX_PATH"], ["zebulon"])
    outbox.clear()  # mail already delivered sits in mailboxes, out of the site's reach
    ask_for_password_reset(EMAIL)  # queued just before: its task names the address
    other_device = app.test_client()
    other_device.sign_in(EMAIL, NEW_PASSWORD)

    response = client.submit("/settings/delete", {"password": NEW_PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    run_queued_work()

    left = rows_mentioning(needles)
    assert left == [], "\n".join(left)
    goodbye = outbox.to(EMAIL)
    assert [message["Subject"] for message in outbox.messages] == [
        "Your Council account is deleted"
    ]
    assert not any(needle.lower() in outbox.text(goodbye[0]).lower() for needle in needles[1:])
    assert files_mentioning(app.instance_path, needles[1:]) == []
    # The address is in one file only: the goodbye, as delivered to the mailbox.
    assert [hit.split(":")[0] for hit in files_mentioning(app.instance_path, [EMAIL])] == [
        str(Path("outbox") / path.name) for path in (Path(app.instance_path) / "outbox").iterdir()
    ]
    assert list((Path(app.instance_path) / "photos").glob("*.jpg")) == []
    assert list((Path(app.instance_path) / "exports").iterdir()) == []

    # Signed out everywhere; the old address signs in like an unknown one.
    assert client.get("/notifications").status_code == 302
    assert other_device.get("/notifications").status_code == 302
    known = app.test_client().submit("/login", {"email": EMAIL, "password": NEW_PASSWORD})
    unknown = app.test_client().submit(
        "/login", {"email": "nobody@nowhere.example", "password": NEW_PASSWORD}
    )
    assert known.status_code == unknown.status_code == 400
    assert page_without(known, EMAIL) == page_without(unknown, "nobody@nowhere.example")

    # The posts stay, signed "Former member"; the profile is gone, for moderators too.
    thread_id = db.session.scalars(
        select(Post.thread_id).where(Post.author_id == member_id)
    ).first()
    page = peer_client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "And my answer to it." in page and "Former member" in page
    moderator, _ = as_member("moderator")
    assert moderator.get(f"/members/{member_id}").status_code == 404
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "member.deleted"))
    assert [e.target_id for e in entry] == [member_id]


def test_the_last_owner_cannot_leave(as_member):
    client, owner = as_member("owner")

    response = client.submit("/settings/delete", {"password": factories.PASSWORD, "confirm": "y"})

    assert response.status_code == 400
    assert LAST_OWNER.split(".")[0] in response.get_data(as_text=True)
    assert db.session.get(Member, owner.id).email == owner.email
    factories.make_member("owner")
    again = client.submit("/settings/delete", {"password": factories.PASSWORD, "confirm": "y"})
    assert again.status_code == 302
    assert db.session.get(Member, owner.id).status == "deleted"


def test_a_wrong_password_or_no_tick_deletes_nothing(as_member):
    client, member = as_member()

    wrong = client.submit("/settings/delete", {"password": "not my password", "confirm": "y"})
    unticked = client.submit("/settings/delete", {"password": factories.PASSWORD})

    assert wrong.status_code == 400 and "not your current password" in wrong.get_data(as_text=True)
    assert unticked.status_code == 400 and "Tick the box" in unticked.get_data(as_text=True)
    assert "checked" in wrong.get_data(as_text=True)  # the tick given is kept
    assert db.session.get(Member, member.id).email == member.email
    assert client.get("/notifications").status_code == 200


def test_with_two_step_sign_in_a_code_is_needed_too(as_member):
    client, member = as_member()
    _totp, recovery_codes, _first = enrol(client)

    without = client.submit("/settings/delete", {"password": factories.PASSWORD, "confirm": "y"})
    wrong = client.submit(
        "/settings/delete", {"password": factories.PASSWORD, "code": "000000", "confirm": "y"}
    )
    assert without.status_code == wrong.status_code == 400
    assert db.session.get(Member, member.id).status == "active"

    done = client.submit(
        "/settings/delete",
        {"password": factories.PASSWORD, "code": recovery_codes[0], "confirm": "y"},
    )
    assert done.status_code == 302
    gone = db.session.get(Member, member.id)
    assert gone.status == "deleted" and gone.totp_secret is None


def test_moderators_cannot_bring_a_deleted_account_back(as_member):
    client, member = as_member()
    assert (
        client.submit(
            "/settings/delete", {"password": factories.PASSWORD, "confirm": "y"}
        ).status_code
        == 302
    )
    moderator, _ = as_member("owner")

    response = moderator.submit(
        f"/moderation/members/{member.id}/reinstate", {"reason": "by mistake"}
    )

    assert response.status_code == 403
    assert db.session.get(Member, member.id).status == "deleted"
