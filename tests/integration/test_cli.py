"""The `community` command line: create-owner, demo, and the outbound queue."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from community.core.clock import as_utc, utcnow
from community.core.events import commit
from community.core.mail import send_email
from community.core.outbox import pending_tasks
from community.events.models import Answer, Event, Rsvp
from community.extensions import db
from community.forum.models import Community, Post, Thread
from community.library.attachments import path_of
from community.library.models import Kind, LearningPath, Resource
from community.members.models import Member
from community.membership.models import MembershipRequest
from community.metrics.catalogue import build_report
from community.metrics.periods import last_days
from community.moderation.models import Flag
from community.notifications.services import save_settings
from community.search.indexing import INDEX_TASKS
from tests import factories


def run(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_create_owner_with_a_prompted_password(app, client):
    result = run(
        app,
        "create-owner",
        "--email",
        "Boss@BigCo.com",
        "--name",
        "Bea Boss",
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    owner = db.session.scalars(select(Member).where(Member.email == "boss@bigco.com")).one()
    assert owner.role == "owner" and owner.tier.slug == "council"
    client.sign_in("boss@bigco.com", "a long enough password")
    assert b'href="/admin/"' in client.get("/").data


def test_create_owner_refuses_a_weak_password_and_creates_nothing(app):
    result = run(
        app, "create-owner", "--email", "b@bigco.com", "--name", "B", "--password", "short"
    )
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert db.session.scalar(select(func.count(Member.id))) == 0


@pytest.mark.sqlite_only(
    reason="the demo is what `make run` seeds, on SQLite; the services it calls are tested on "
    "PostgreSQL by their own tests"
)
def test_demo_seeds_once_and_prints_logins(app):
    # Exactly what `make run` seeds: each author writes far more posts than the sales-pitch
    # check compares (RECENT_TEXTS_COMPARED), so repeated demo text would be held.
    first = run(app, "demo")
    assert first.exit_code == 0, first.output
    assert "owner@council.example" in first.output
    members = db.session.scalar(select(func.count(Member.id)))
    requests = db.session.scalar(select(func.count(MembershipRequest.id)))
    assert members >= 45 and requests == 4
    levels, companies, regions, tiers = (
        set(db.session.scalars(select(column).distinct()))
        for column in (Member.level, Member.company, Member.region, Member.tier_id)
    )
    assert len(levels) >= 5 and len(companies) >= 15 and len(regions) == 5 and len(tiers) == 3
    # Demo text is varied enough that the sales-pitch check holds none of it.
    library = select(Community.id).where(Community.category == "Library")
    discussion_posts = (
        select(func.count(Post.id)).join(Thread).where(Thread.community_id.not_in(library))
    )
    assert db.session.scalar(discussion_posts) >= 300
    # A believable council: no title repeated within or across communities, many authors,
    # posts spread over the ninety days rather than written in one minute.
    titles = db.session.execute(
        select(Thread.community_id, Thread.title).where(Thread.community_id.not_in(library))
    ).all()
    assert len({title for _, title in titles}) == len(titles)
    authors = select(func.count(func.distinct(Post.author_id)))
    assert db.session.scalar(authors) >= 40
    days = {as_utc(at).date() for at in db.session.scalars(select(Post.created_at))}
    assert (max(days) - min(days)).days >= 60 and len(days) >= 40
    # The moderators find an ordinary week's work: one pitch held, flagged replies.
    assert db.session.scalar(select(func.count(Post.id)).where(Post.held_reason != "")) == 1
    assert db.session.scalar(select(func.count(func.distinct(Flag.post_id)))) == 3
    published = db.session.scalars(
        select(Resource.published_at).where(Resource.status == "published")
    ).all()
    assert len({as_utc(at).date() for at in published}) == len(published)
    events = db.session.scalars(select(Event).where(Event.starts_at > utcnow())).all()
    assert len(events) == 3
    assert {event.min_tier.slug for event in events} == {"strategist", "executive", "council"}
    assert any(event.online and event.link.startswith("https://") for event in events)
    [full] = [event for event in events if event.capacity == 2]
    answers = db.session.scalars(select(Rsvp.answer).where(Rsvp.event_id == full.id)).all()
    assert sorted(answers) == [Answer.GOING, Answer.GOING, Answer.WAITING]

    # The library: every kind and tier, drafts and scheduled items for the calendar, two paths.
    resources = db.session.scalars(select(Resource)).all()
    assert len(resources) >= 20
    assert {r.kind for r in resources} == {k.value for k in Kind}
    assert {r.min_tier.slug for r in resources} == {"strategist", "executive", "council"}
    assert {r.status for r in resources} == {"published", "scheduled", "in_review", "draft"}
    published = [r for r in resources if r.status == "published"]
    assert all(r.thread_id for r in published)
    assert db.session.scalar(
        select(func.count(Post.id)).join(Thread).where(Thread.community_id.in_(library))
    ) == len(published)
    assert db.session.scalar(select(func.count(LearningPath.id))) == 2
    assert len({r.summary for r in resources}) == len(resources)
    files = [r for r in resources if r.attachment_key]
    assert files
    for resource in files:
        data = path_of(resource.attachment_key).read_bytes()
        assert resource.attachment_size == len(data) > 1024  # shown as 1 KB or more, truly
        assert_valid_pdf(data)

    # The owners' dashboard is alive on first run: ninety days of activity, rolled up.
    figures = {f.label: f for f in build_report("active", last_days(90)).figures}
    assert figures["MAU"].value == members and figures["DAU"].value > 1
    assert figures["MAU"].previous == 0  # nothing before the ninety days
    assert build_report("library", last_days(30)).rows
    assert build_report("searches", last_days(30)).rows
    assert build_report("participation", last_days(7)).rows

    # The index is built once, and no per-object index task is left for `make run` to drain.
    assert "Search index built" in first.output
    assert pending_tasks(INDEX_TASKS) == []

    second = run(app, "demo")
    assert "nothing seeded" in second.output
    assert "owner@council.example" in second.output
    assert db.session.scalar(select(func.count(Member.id))) == members


def assert_valid_pdf(data: bytes) -> None:
    """A PDF a viewer opens: header, every cross-reference entry pointing at its object, the
    startxref pointing at the table, and a text page."""
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    xref = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    assert data[xref:].startswith(b"xref")
    entries = data[xref:].split(b"trailer")[0].splitlines()[3:]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry.split()[0])
        assert data[offset:].startswith(b"%d 0 obj" % number)
    assert b"/Type /Page " in data and b" Tj" in data


def outbox_files(app) -> list[Path]:
    """The outbox folder as it is, without draining the queue first (unlike the fixture)."""
    return sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))


def test_mail_drain_sends_what_is_queued(app):
    send_email("someone@bigco.com", "Queued", "member_reinstated", member={"name": "X"})
    commit()
    assert outbox_files(app) == []  # queued, not sent

    result = run(app, "mail", "drain")

    assert result.exit_code == 0, result.output
    assert "1 done" in result.output
    assert len(outbox_files(app)) == 1
    assert "Nothing was due." in run(app, "mail", "drain").output


def test_a_command_that_sends_mail_drains_the_queue_at_its_end(app):
    factories.make_member()  # keeps the default: announcements stay in the app
    member = factories.make_member()
    save_settings(member, {"announcement": "email"})

    result = run(app, "announce", "--text", "The council meets on Friday.")

    assert result.exit_code == 0, result.output
    [sent] = outbox_files(app)
    assert b"The council meets on Friday" in sent.read_bytes()
