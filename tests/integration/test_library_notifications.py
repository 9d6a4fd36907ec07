"""A published resource tells the members who follow one of its topics and can open it, once;
never the publishing editor, never a lower tier, never for a draft."""

from __future__ import annotations

from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.library import workflow
from community.library.models import Topic, TopicFollow
from community.members.models import Member
from community.notifications.models import Notification
from community.notifications.services import save_settings
from tests import factories
from tests.conftest import run_queued_work


def follow(member: Member, *names: str) -> None:
    for name in names:
        slug = name.lower()
        topic = db.session.scalar(select(Topic).where(Topic.slug == slug))
        if topic is None:
            topic = Topic(slug=slug, name=name)
            db.session.add(topic)
            db.session.flush()
        db.session.add(TopicFollow(member_id=member.id, topic_id=topic.id))
    commit()


def told() -> dict[int, list[str]]:
    """Who was told what, once the worker has run the queued notifications."""
    run_queued_work()
    rows = db.session.execute(select(Notification.member_id, Notification.text)).all()
    result: dict[int, list[str]] = {}
    for member_id, text in rows:
        result.setdefault(member_id, []).append(text)
    return result


def test_followers_who_can_see_it_are_told_once_on_publish(app):
    editor = factories.make_member("editor", "council")
    council = factories.make_member(tier_slug="council")
    executive = factories.make_member(tier_slug="executive")
    strategist = factories.make_member(tier_slug="strategist")
    owner = factories.make_member("owner", "strategist")
    not_following = factories.make_member(tier_slug="council")
    other_topic = factories.make_member(tier_slug="council")
    for member in (editor, council, executive, strategist, owner):
        follow(member, "Board")
    follow(other_topic, "Crisis")
    draft = factories.make_resource(
        editor,
        "Board pack template",
        tier_slug="executive",
        topics="Board, Governance",
        status="in_review",
    )
    assert told() == {}  # nothing before publication
    workflow.transition(editor, draft.id, "published")
    notified = told()
    assert set(notified) == {council.id, executive.id, owner.id}
    assert notified[council.id] == ["New in the library: “Board pack template” (Article)"]
    rows = db.session.scalars(select(Notification).where(Notification.member_id == council.id))
    row = rows.one()
    assert (row.kind, row.url) == ("library_resource", f"/library/{draft.id}")
    assert strategist.id not in notified and not_following.id not in notified
    assert other_topic.id not in notified
    workflow.transition(editor, draft.id, "archived")
    workflow.transition(owner, draft.id, "published")  # brought back: nobody is told again
    assert sum(len(texts) for texts in told().values()) == 3


def test_a_member_who_follows_two_of_its_topics_is_told_once(app):
    editor = factories.make_member("editor")
    reader = factories.make_member()
    follow(reader, "Board", "Governance")
    factories.make_resource(editor, "Twice tagged", topics="Board, Governance")
    assert len(told()[reader.id]) == 1


def test_the_kind_can_be_switched_off_and_goes_to_the_daily_digest_by_default(app, outbox):
    editor = factories.make_member("editor")
    quiet = factories.make_member()
    default = factories.make_member()
    follow(quiet, "Board")
    follow(default, "Board")
    save_settings(quiet, {"library_resource": "off"})
    factories.make_resource(editor, "Quiet one", topics="Board")
    assert set(told()) == {default.id}
    assert outbox.messages == []  # daily digest, not an email at once


def test_the_notification_list_shows_it_with_its_link(as_member):
    client, reader = as_member()
    follow(reader, "Board")
    resource = factories.make_resource(factories.make_member("editor"), "Listed", topics="Board")
    run_queued_work()
    page = client.get("/notifications").get_data(as_text=True)
    assert "New in the library: “Listed”" in page
    assert client.get(f"/library/{resource.id}").status_code == 200
