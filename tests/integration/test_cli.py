"""The `community` command line: create-owner and demo."""

from sqlalchemy import func, select

from community.core.clock import utcnow
from community.events.models import Answer, Event, Rsvp
from community.extensions import db
from community.forum.models import Post
from community.members.models import Member
from community.membership.models import MembershipRequest


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


def test_demo_seeds_once_and_prints_logins(app):
    first = run(app, "demo")
    assert first.exit_code == 0, first.output
    assert "owner@council.example" in first.output
    members = db.session.scalar(select(func.count(Member.id)))
    requests = db.session.scalar(select(func.count(MembershipRequest.id)))
    assert members == 5 and requests == 4
    # Demo text is varied enough that the sales-pitch check holds none of it.
    assert db.session.scalar(select(func.count(Post.id))) == 601
    assert db.session.scalar(select(func.count(Post.id)).where(Post.held_reason != "")) == 0
    events = db.session.scalars(select(Event).where(Event.starts_at > utcnow())).all()
    assert len(events) == 3
    assert {event.min_tier.slug for event in events} == {"strategist", "executive", "council"}
    assert any(event.online and event.link.startswith("https://") for event in events)
    [full] = [event for event in events if event.capacity == 2]
    answers = db.session.scalars(select(Rsvp.answer).where(Rsvp.event_id == full.id)).all()
    assert sorted(answers) == [Answer.GOING, Answer.GOING, Answer.WAITING]

    second = run(app, "demo")
    assert "nothing seeded" in second.output
    assert "owner@council.example" in second.output
    assert db.session.scalar(select(func.count(Member.id))) == members
