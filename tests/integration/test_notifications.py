"""Who is told what: each domain event's notifications, their folding, channels and pages.

Notifying many members is queued work: the helpers that read notifications (``notified``,
``rows_for``) first run the queue as the worker would (``run_queued_work``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.forum import reactions, thread_moderation, watching
from community.forum import services as forum
from community.forum.models import ChapterLead, Thread
from community.members.models import Member
from community.membership import policy_changes
from community.membership import services as membership
from community.moderation import flags
from community.notifications import services
from community.notifications.announcements import announce
from community.notifications.models import Notification, NotificationSetting
from tests import factories
from tests.conftest import run_queued_work
from tests.integration.test_forum import make_community


@pytest.fixture
def notified(app) -> Callable[[], set[tuple[str, str]]]:
    """``notified()``: the (member handle, kind) pairs notified since the previous call."""
    seen: set[int] = set()

    def new_pairs() -> set[tuple[str, str]]:
        run_queued_work()
        rows = db.session.execute(
            select(Notification.id, Member.handle, Notification.kind).join(
                Member, Member.id == Notification.member_id
            )
        ).all()
        fresh = {(handle, kind) for nid, handle, kind in rows if nid not in seen}
        seen.update(nid for nid, _, _ in rows)
        return fresh

    new_pairs()
    return new_pairs


@pytest.fixture
def lounge(app):
    """A strategist-tier community every member can see."""
    return make_community("lounge", "strategist", name="Lounge")


def member(tier: str = "council", role: str = "member", **kwargs) -> Member:
    return factories.make_member(role, tier, **kwargs)


def rows_for(person: Member) -> list[Notification]:
    run_queued_work()
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.member_id == person.id)
            .order_by(Notification.id)
        )
    )


# --- Which events tell whom -------------------------------------------------------------------


def test_a_reply_tells_the_thread_author_and_never_the_replier(app, lounge, notified):
    author, replier = member(), member()
    thread = forum.create_thread(author, lounge, "Board composition", "How many independents?")
    assert notified() == set()  # a new thread tells nobody who is not watching the community

    post = forum.reply(replier, thread.id, "Three, at least.")
    assert notified() == {(author.handle, "reply")}
    [row] = rows_for(author)
    assert row.text == f"@{replier.handle} replied to “Board composition”"
    assert row.url == f"/p/{post.id}"
    assert rows_for(replier) == []


def test_watchers_hear_of_new_posts_folded_into_one_unread_row(app, lounge, notified):
    author, watcher, poster = member(), member(), member()
    thread = forum.create_thread(author, lounge, "Pricing committees", "Who sits on yours?")
    watching.set_thread_watch(watcher, thread.id, "watching")
    for text in ("Finance and sales.", "Only finance.", "Nobody, sadly."):
        forum.reply(poster, thread.id, text)
    assert notified() == {(author.handle, "reply"), (watcher.handle, "watching")}
    [row] = rows_for(watcher)
    assert row.count == 3 and row.text == "3 new posts in “Pricing committees”"

    services.mark_read(watcher, row.id)
    forum.reply(poster, thread.id, "One more view.")
    assert [r.count for r in rows_for(watcher)] == [3, 1]  # read rows are never reopened


def test_a_community_watcher_hears_of_new_threads_unless_the_thread_is_muted(app, lounge, notified):
    author, watcher = member(), member()
    watching.set_community_watch(watcher, lounge, "watching")
    thread = forum.create_thread(author, lounge, "Hybrid work", "Three days in the office?")
    assert notified() == {(watcher.handle, "watching")}
    assert rows_for(watcher)[0].text == f"@{author.handle} started “Hybrid work” in Lounge"

    forum.reply(author, thread.id, "Adding data.")
    assert notified() == {(watcher.handle, "watching")}
    watching.set_thread_watch(watcher, thread.id, "muted")
    forum.reply(author, thread.id, "More data.")
    assert notified() == set()


def test_a_muted_member_is_told_of_nothing_in_that_thread_but_an_assignment(app, lounge, notified):
    author, moderator = member(), member(role="moderator")
    thread = forum.create_thread(author, lounge, "Quiet thread", "Nothing to see.")
    watching.set_thread_watch(author, thread.id, "muted")
    forum.reply(moderator, thread.id, f"Noted @{author.handle}.")
    assert notified() == set()
    thread_moderation.assign_thread(moderator, thread.id, author.handle)
    assert notified() == {(author.handle, "assigned")}


def test_one_post_tells_each_member_once_by_the_strongest_reason(app, lounge, notified):
    author, quoted, poster = member(), member(), member()
    thread = forum.create_thread(author, lounge, "Succession", "Who is next?")
    first = forum.reply(quoted, thread.id, "Grow them inside.")
    for person in (author, quoted):
        watching.set_thread_watch(person, thread.id, "watching")
    notified()

    forum.reply(poster, thread.id, f"Agree with @{author.handle}.", quoted_post_id=first.id)
    # The author is mentioned (not "replied to"), the quoted member quoted (not "watching").
    assert notified() == {(author.handle, "mention"), (quoted.handle, "quote")}


def test_reactions_fold_into_one_row_per_post(app, lounge, notified):
    author = member()
    thread = forum.create_thread(author, lounge, "Offsites", "Worth it?")
    post = forum.get_thread_page(author, thread.id).posts.items[0]
    fans = [member() for _ in range(3)]
    reactions.toggle_reaction(fans[0], post.id, "like")
    assert rows_for(author)[0].text == f"@{fans[0].handle} liked your post in “Offsites”"
    reactions.toggle_reaction(fans[1], post.id, "insightful")
    reactions.toggle_reaction(fans[2], post.id, "like")
    [row] = rows_for(author)
    assert row.count == 3 and row.text == "3 new reactions to your post in “Offsites”"
    assert notified() == {(author.handle, "reaction")}


def test_an_assignment_tells_the_assignee(app, lounge, notified):
    moderator, assignee = member(role="moderator"), member()
    thread = forum.create_thread(moderator, lounge, "Needs an answer", "Anyone?")
    thread_moderation.assign_thread(moderator, thread.id, assignee.handle)
    assert notified() == {(assignee.handle, "assigned")}
    assert rows_for(assignee)[0].url == f"/t/{thread.id}"


def test_an_accepted_invitation_tells_the_referrer(app, notified):
    referrer, moderator = member(), member(role="moderator")
    outcome = factories.make_request(referrer=referrer, level="vp", email="dana@bigco.com")
    _, token = membership.approve_request(moderator, outcome.request.id)
    notified()
    membership.accept_invitation(token, "Dana Scully", "a-long-enough-password-1", True)
    assert notified() == {(referrer.handle, "invitation_accepted")}
    assert rows_for(referrer)[0].text == "Dana Scully accepted your invitation and joined Council"


def test_a_waiting_request_tells_moderators_and_folds(app, client, notified):
    moderators = [member(role="moderator"), member(role="owner")]
    plain = member()
    factories.make_request(level="vp", email="one@bigco.com")
    factories.make_request(level="c_suite", email="two@bigco.com")
    assert notified() == {(m.handle, "request_waiting") for m in moderators}
    assert rows_for(plain) == []
    [row] = rows_for(moderators[0])
    assert row.count == 2 and row.text == "2 membership requests are waiting for review"


def test_a_repeated_request_tells_nobody_again(app, notified):
    moderator = member(role="moderator")
    factories.make_request(level="vp", email="again@bigco.com")
    factories.make_request(level="vp", email="again@bigco.com")  # a duplicate writes nothing
    assert notified() == {(moderator.handle, "request_waiting")}
    assert rows_for(moderator)[0].count == 1


def test_a_flag_tells_those_who_moderate_that_community_only(app, notified):
    council_room = make_community("boardroom", "council", name="Boardroom", is_chapter=True)
    author, flagger = member(), member()
    moderator = member(role="moderator")
    low_moderator = member("strategist", role="moderator")  # cannot see the boardroom
    lead, other_lead = member(), member()
    db.session.add(ChapterLead(community_id=council_room.id, member_id=lead.id))
    commit()
    thread = forum.create_thread(author, council_room, "Activist investors", "Prepared?")
    post = forum.get_thread_page(author, thread.id).posts.items[0]
    notified()
    flags.flag_post(flagger, post.id, "off_topic")
    told = notified()
    assert told == {(moderator.handle, "flag_raised"), (lead.handle, "flag_raised")}
    assert (low_moderator.handle, "flag_raised") not in told
    assert (other_lead.handle, "flag_raised") not in told


def test_a_policy_change_tells_every_active_member(app, notified):
    owner = member(role="owner")
    everyone = [member(), member("strategist"), member(status="suspended")]
    current = policy_changes.draft_from_policy(membership.get_current_policy())
    current.note = "Nomination quota raised to 5"
    current.nomination_quota = 5
    policy_changes.apply_policy_change(owner, current, membership.get_current_policy().version)
    told = notified()
    assert (everyone[0].handle, "policy_notice") in told
    assert (everyone[1].handle, "policy_notice") in told
    assert (everyone[2].handle, "policy_notice") not in told  # suspended
    assert "Nomination quota raised to 5" in rows_for(everyone[0])[0].text


def test_an_announcement_from_the_cli_reaches_everyone_and_refuses_bad_input(app, notified):
    people = [member(), member("strategist")]
    result = app.test_cli_runner().invoke(
        args=["announce", "--text", "Summit agenda is out", "--url", "/c/"]
    )
    assert result.exit_code == 0, result.output
    assert "Announced to 2 members." in result.output
    assert notified() == {(p.handle, "announcement") for p in people}
    bad = app.test_cli_runner().invoke(
        args=["announce", "--text", "Phish", "--url", "https://evil.test/"]
    )
    assert bad.exit_code == 1 and "must be a path on this site" in bad.output
    with pytest.raises(Exception, match="1 to 300 characters"):
        announce("   ")
    assert notified() == set()


# --- Channels and emails -------------------------------------------------------------------


def test_email_at_once_sends_one_email_per_row_with_an_unsubscribe_link(
    app, lounge, notified, outbox
):
    author, replier = member(), member()
    thread = forum.create_thread(author, lounge, "Capital allocation", "Buybacks or growth?")
    outbox.clear()
    forum.reply(replier, thread.id, "Growth, always.")
    [message] = outbox.to(author.email)
    assert message["Subject"] == f"@{replier.handle} replied to “Capital allocation”"
    assert message["List-Unsubscribe"].startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = outbox.text(message)
    assert "/notifications/" in text and "/notifications/unsubscribe/" in text


def test_off_stores_nothing_and_app_only_sends_no_email(app, lounge, notified, outbox):
    author, replier = member(), member()
    services.save_settings(author, {"reply": "off"})
    thread = forum.create_thread(author, lounge, "Quiet please", "Nothing.")
    forum.reply(replier, thread.id, "Noise.")
    assert notified() == set()
    services.save_settings(author, {"reply": "app"})
    outbox.clear()
    forum.reply(replier, thread.id, "More noise.")
    assert notified() == {(author.handle, "reply")}
    assert outbox.to(author.email) == []


def test_folded_repeats_do_not_email_again(app, lounge, outbox):
    author = member()
    services.save_settings(author, {"reaction": "email"})
    thread = forum.create_thread(author, lounge, "Mail once", "Text.")
    post = forum.get_thread_page(author, thread.id).posts.items[0]
    outbox.clear()
    for _ in range(3):
        reactions.toggle_reaction(member(), post.id, "like")
    assert len(outbox.to(author.email)) == 1


# --- Pages --------------------------------------------------------------------------------


def test_the_list_shows_unread_first_and_marks_read(app, lounge, as_member):
    client, author = as_member()
    replier = member()
    empty = client.get("/notifications").get_data(as_text=True)
    assert "Nothing here yet" in empty
    thread = forum.create_thread(author, lounge, "First", "One.")
    second = forum.create_thread(author, lounge, "Second", "Two.")
    forum.reply(replier, thread.id, "Reply on first.")
    forum.reply(replier, second.id, "Reply on second.")
    older, newer = rows_for(author)
    services.mark_read(author, newer.id)

    page = client.get("/notifications").get_data(as_text=True)
    assert page.index("replied to “First”") < page.index("replied to “Second”")  # unread first
    assert 'id="notification-count" data-count="1"' in page

    response = client.get(f"/notifications/{older.id}")
    assert response.status_code == 302 and response.headers["Location"] == older.url
    assert rows_for(author)[0].read_at is not None

    forum.reply(replier, thread.id, "Another one.")
    run_queued_work()
    response = client.submit("/notifications/read-all")
    assert response.status_code == 302
    assert all(row.read_at is not None for row in rows_for(author))
    assert "Marked 1 notification as read." in client.get("/notifications").get_data(as_text=True)


def test_someone_elses_notification_answers_404(app, lounge, as_member):
    client, _ = as_member()
    author = member()
    thread = forum.create_thread(author, lounge, "Private to author", "Text.")
    forum.reply(member(), thread.id, "Reply.")
    [row] = rows_for(author)
    assert client.get(f"/notifications/{row.id}").status_code == 404
    assert client.submit(f"/notifications/{row.id}/read").status_code == 404
    assert rows_for(author)[0].read_at is None


def test_the_list_is_paged(app, lounge, as_member):
    app.config["POSTS_PER_MINUTE"] = 1000  # many posts by one member, written at once
    app.config["NEW_MEMBER_DAYS"] = 0
    client, author = as_member()
    replier = member()
    for n in range(35):
        thread = forum.create_thread(author, lounge, f"Topic {n}", f"Opening {n}.")
        forum.reply(replier, thread.id, f"Reply number {n}.")
    run_queued_work()
    first = client.get("/notifications").get_data(as_text=True)
    assert first.count('class="notification unread"') == 30 and "Page 1 of 2" in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert second.count('class="notification unread"') == 5


def test_replies_to_one_thread_fold_into_one_unread_row(app, lounge, notified, outbox):
    author = member()
    thread = forum.create_thread(author, lounge, "Folding", "Text.")
    outbox.clear()
    for n in range(3):
        forum.reply(member(), thread.id, f"Reply {n}.")
    [row] = rows_for(author)
    assert row.count == 3 and row.text == "3 new replies to “Folding”"
    assert len(outbox.to(author.email)) == 1  # emailed once while it stays unread


def test_catch_up_since_a_time(app, lounge, as_member):
    client, author = as_member()
    first = forum.create_thread(author, lounge, "Catch up", "Text.")
    second = forum.create_thread(author, lounge, "Later thread", "Text.")
    forum.reply(member(), first.id, "Early.")
    [early] = rows_for(author)
    since = early.updated_at.isoformat()
    forum.reply(member(), second.id, "Later.")
    run_queued_work()
    data = client.get("/notifications/since", query_string={"since": since}).get_json()
    assert [n["text"] for n in data["notifications"]] == [rows_for(author)[1].text]
    assert data["unread_count"] == 2
    assert set(data["notifications"][0]) >= {"id", "kind", "text", "url", "created_at"}
    forum.reply(member(), first.id, "Folded into the early row.")
    run_queued_work()
    data = client.get("/notifications/since", query_string={"since": since}).get_json()
    assert "2 new replies to “Catch up”" in [n["text"] for n in data["notifications"]]
    assert client.get("/notifications/since?since=yesterday").status_code == 400
    assert client.get("/notifications/since?since=2026-11-23T10:00:00").status_code == 400


def test_settings_page_saves_channels_and_community_mutes(app, lounge, as_member):
    client, person = as_member()
    page = client.get("/settings/notifications").get_data(as_text=True)
    assert "Replies to my threads" in page and "Lounge" in page
    assert "Flags raised" not in page  # moderators' kinds only for moderators

    form = {name: channel.value for name, channel in services.current_settings(person).items()}
    form |= {"reply": "daily", "muted": str(lounge.id)}
    response = client.submit("/settings/notifications", form)
    assert response.status_code == 302
    assert services.current_settings(person)["reply"] == "daily"
    assert watching.community_watch_level(person, lounge).value == "muted"

    form |= {"reply": "sometimes"}
    response = client.submit("/settings/notifications", form)
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert services.current_settings(person)["reply"] == "daily"

    form.pop("muted")
    form |= {"reply": "app"}
    client.submit("/settings/notifications", form)
    assert watching.community_watch_level(person, lounge).value == "tracking"


def test_unsubscribe_needs_no_sign_in_and_one_click_works(app, client):
    person = member()
    url = services.unsubscribe_url(person, "reply")
    path = url[url.index("/notifications/unsubscribe/") :]
    page = client.get(path).get_data(as_text=True)
    assert "stop getting emails about “replies to my threads”" in page
    assert db.session.get(NotificationSetting, (person.id, "reply")) is None  # GET changes nothing

    # A mail client's RFC 8058 one-click POST: no session, no CSRF token.
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "You are unsubscribed" in response.get_data(as_text=True)
    assert services.current_settings(person)["reply"].value == "app"

    assert client.get(path[:-3] + "xyz").status_code == 404
    assert client.post("/notifications/unsubscribe/not-a-token").status_code == 404


def test_a_digest_unsubscribe_turns_off_everything_that_digest_gathered(app):
    person = member()
    services.save_settings(person, {"reply": "daily", "mention": "weekly"})
    services.unsubscribe(services.unsubscribe_url(person, "digest:daily").rsplit("/", 1)[1])
    settings = services.current_settings(person)
    assert settings["reply"].value == "app"
    assert settings["watching"].value == "app"  # daily by default
    assert settings["mention"].value == "weekly"


def test_thread_moved_out_of_reach_drops_its_notifications(app, lounge, as_member):
    client, reader = as_member("member", "strategist")
    boardroom = make_community("boardroom", "council", name="Boardroom")
    author, moderator = member(), member(role="owner")
    thread = forum.create_thread(reader, lounge, "Started low", "Text.")
    forum.reply(author, thread.id, "A reply.")
    [row] = rows_for(reader)
    thread_moderation.move_thread(moderator, thread.id, boardroom.slug)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Started low" not in page
    assert client.get(f"/notifications/{row.id}").status_code == 404
    assert (
        client.get("/notifications/since?since=2000-01-01T00:00:00%2B00:00").get_json()[
            "notifications"
        ]
        == []
    )
    assert db.session.get(Thread, thread.id).community_id == boardroom.id


TIERS = ["strategist", "executive", "council"]


@pytest.mark.parametrize("room_tier", TIERS)
@pytest.mark.parametrize("reader_tier", TIERS)
def test_nobody_is_told_about_a_thread_their_tier_cannot_open(
    app, notified, reader_tier, room_tier
):
    """The reader started a thread that an owner then moved to a community of ``room_tier``;
    they watch it, and a peer replies, mentions them and reacts to their post."""
    app.config["NEW_MEMBER_DAYS"] = 0
    start = make_community("start", "strategist", name="Start")
    room = make_community("room", room_tier, name="Room")
    reader = member(reader_tier)
    peer, owner = member("council"), member("council", role="owner")
    thread = forum.create_thread(reader, start, "Travelling thread", "Where will it go?")
    first = forum.get_thread_page(reader, thread.id).posts.items[0]
    watching.set_thread_watch(reader, thread.id, "watching")
    thread_moderation.move_thread(owner, thread.id, room.slug)
    notified()

    forum.reply(peer, thread.id, "A reply.")
    forum.reply(peer, thread.id, f"Asking @{reader.handle} directly.")
    reactions.toggle_reaction(peer, first.id, "like")
    told = {kind for handle, kind in notified() if handle == reader.handle}
    may_open = TIERS.index(reader_tier) >= TIERS.index(room_tier)
    assert told == ({"reply", "mention", "reaction"} if may_open else set())


def test_a_flagged_thread_tells_its_moderators(app, lounge, notified):
    author, flagger, moderator = member(), member(), member(role="moderator")
    thread = forum.create_thread(author, lounge, "Flag the whole thing", "Text.")
    notified()
    flags.flag_thread(flagger, thread.id, "spam")
    assert notified() == {(moderator.handle, "flag_raised")}
    assert rows_for(moderator)[0].text == "The thread “Flag the whole thing” was flagged"
