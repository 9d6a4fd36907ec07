"""The posters of each day and each thread's first reply, as the rollup job stores them: equal
to a recomputation from the posts, and a late change to a finished day (a post deleted, a
reply to an old thread) shows in the reports."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from community.core.clock import utcnow
from community.core.events import commit
from community.extensions import db
from community.forum import services as forum
from community.forum.models import Post, Reaction, Thread
from community.forum.reactions import toggle_reaction
from community.metrics.catalogue import build_report
from community.metrics.models import PosterDay, ReactionDay, RolledDay, ThreadReply
from community.metrics.periods import Period, last_days
from community.metrics.rollups import rollup_recent
from tests import factories

TODAY = utcnow().date()


def at(days_ago: int, hour: int):
    return datetime.combine(TODAY - timedelta(days=days_ago), time(hour), tzinfo=UTC)


def backdate(posts, days_ago: int, hour: int = 9) -> None:
    """Move posts (and the thread of a first post) back in time, an hour apart."""
    for n, post in enumerate(posts):
        post.created_at = at(days_ago, hour + n)
        if post.number == 1:
            post.thread.created_at = post.created_at
    commit()


def member_at(company: str):
    member = factories.make_member()
    member.company = company
    member.created_at = utcnow() - timedelta(days=90)  # past the new members' limits
    commit()
    return member


def first_post(thread: Thread) -> Post:
    return db.session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.number == 1)
    ).one()


def figures(report) -> dict[str, float | None]:
    return {figure.label: figure.value for figure in report.figures}


def rollup_since(app, days_ago: int) -> None:
    since = (TODAY - timedelta(days=days_ago)).isoformat()
    result = app.test_cli_runner().invoke(args=["metrics", "rollup", "--since", since])
    assert result.exit_code == 0, result.output


def test_posters_and_first_replies_equal_a_recomputation_from_the_posts(app):
    community = factories.make_community()
    ann, bob, cat = member_at("Acme"), member_at("Beta"), member_at("")
    talk = factories.start_thread(ann, community, "Board reporting", "How?")
    own, late, again = (factories.add_posts(talk, who, 1)[0] for who in (ann, bob, bob))
    backdate([first_post(talk), own], 5)
    backdate([late, again], 3)
    alone = factories.start_thread(bob, community, "Pricing models", "Anyone?")
    mine = factories.add_posts(alone, bob, 1)[0]
    gone = factories.add_posts(alone, cat, 1)[0]
    backdate([first_post(alone), mine, gone], 2)
    forum.delete_post(cat, gone.id)  # deleted: neither a post nor an answer
    factories.add_posts(talk, cat, 1)  # today's
    for post, who, days_ago in ((late, ann, 3), (late, cat, 2), (mine, ann, 2), (own, bob, 0)):
        toggle_reaction(who, post.id, "like")
        reaction = db.session.get(Reaction, (post.id, who.id, "like"))
        reaction.created_at = at(days_ago, 20)
    commit()

    rollup_since(app, 10)

    posts = db.session.scalars(select(Post).where(Post.deleted_at.is_(None))).all()
    expected = Counter((p.created_at.date(), p.thread_id, p.author_id) for p in posts)
    stored = {
        (row.day, row.thread_id, row.author_id): row.posts
        for row in db.session.scalars(select(PosterDay))
    }
    assert stored == dict(expected)
    answers: dict[int, datetime] = {}
    for post in sorted(posts, key=lambda p: p.created_at):
        if post.number > 1 and post.author_id != post.thread.author_id:
            answers.setdefault(post.thread_id, post.created_at)
    replies = {row.thread_id: row.first_reply_at for row in db.session.scalars(select(ThreadReply))}
    assert replies == answers == {talk.id: late.created_at}
    given = Counter(
        (reaction.created_at.date(), db.session.get(Post, reaction.post_id).thread_id)
        for reaction in db.session.scalars(select(Reaction))
    )
    reactions = {
        (row.day, row.thread_id): row.reactions for row in db.session.scalars(select(ReactionDay))
    }
    assert reactions == dict(given) and len(reactions) == 4
    rolled = set(db.session.scalars(select(RolledDay.day)))
    assert rolled == {TODAY - timedelta(days=n) for n in range(1, 11)}


def test_a_late_change_on_a_finished_day_shows_at_once_and_after_the_rollup(app):
    community = factories.make_community(slug="big")
    acme = [member_at("Acme") for _ in range(3)]
    beta = [member_at("Beta") for _ in range(2)]
    mixed = factories.start_thread(acme[0], community, "Mixed companies", "Opening words.")
    replies = [factories.add_posts(mixed, who, 1)[0] for who in (acme[1], beta[0], beta[1])]
    backdate([first_post(mixed), *replies], 3)
    waiting = factories.start_thread(acme[1], community, "Still waiting", "Anyone?")
    backdate([first_post(waiting)], 3)
    rollup_since(app, 10)  # day -3 is rolled up: the reports read its rows from now on
    week = Period(TODAY - timedelta(days=6), TODAY, "custom")
    # One conversation (the second thread has one poster), across companies.
    assert figures(build_report("cross-company", week))["Cross-company share"] == 100.0
    assert figures(build_report("responsiveness", week))["Response rate"] == 50.0

    # Today: a reply to the thread of day -3 (read live at once), and both of Beta's posts
    # of day -3 deleted, so that conversation is no longer across companies.
    answer = factories.add_posts(waiting, acme[2], 1)[0]
    for post, member in zip(replies[1:], beta, strict=True):
        forum.delete_post(member, post.id)
    responsiveness = build_report("responsiveness", week)
    assert figures(responsiveness)["Response rate"] == 100.0
    assert responsiveness.rows == []
    # The deletions un-marked day -3: it is read from the posts until rolled up again.
    assert figures(build_report("cross-company", week))["Cross-company share"] == 0.0

    rollup_recent()  # the job's next run rolls day -3 up again
    assert TODAY - timedelta(days=3) in set(db.session.scalars(select(RolledDay.day)))

    # Two conversations now (Acme's two, and the old thread with today's answer), neither
    # across companies.
    assert figures(build_report("cross-company", week))["Cross-company share"] == 0.0
    # Posts: the two left in the mixed thread, the old thread's opening one, today's answer.
    assert build_report("health", last_days(7)).rows[0][3] == 4
    waited = (answer.created_at - at(3, 9)).total_seconds() / 3600
    median = figures(build_report("responsiveness", week))["Median time to first reply"]
    assert median == round((1 + waited) / 2, 1)  # of 1 h (the mixed thread) and the wait


def test_a_reaction_taken_back_from_a_finished_day_counts_no_more_at_once(app):
    community = factories.make_community(slug="growth", name="Growth")
    ann, bob, cat = member_at("Acme"), member_at("Beta"), member_at("Acme")
    thread = factories.start_thread(ann, community, "Board reporting", "How?")
    answer = factories.add_posts(thread, bob, 1)[0]
    backdate([first_post(thread), answer], 3)
    for who in (ann, cat):
        toggle_reaction(who, answer.id, "like")
        db.session.get(Reaction, (answer.id, who.id, "like")).created_at = at(3, 20)
    commit()
    rollup_since(app, 10)
    # Two reactions on two posts, no earlier history.
    assert build_report("health", last_days(7)).rows[0][5] == 1.0

    toggle_reaction(cat, answer.id, "like")  # taken back three days after it was given

    assert build_report("health", last_days(7)).rows[0][5] == 0.5
    assert TODAY - timedelta(days=3) not in set(db.session.scalars(select(RolledDay.day)))
    rollup_recent()  # the job rolls the un-marked day up again
    assert TODAY - timedelta(days=3) in set(db.session.scalars(select(RolledDay.day)))
    assert build_report("health", last_days(7)).rows[0][5] == 0.5
