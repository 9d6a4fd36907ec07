"""Influence: breadth of response weighted by the responder's tier, and what members say,
from posts every reader sees only."""

from __future__ import annotations

from sqlalchemy import select

from community.core.events import commit
from community.extensions import db
from community.forum.models import Post, Reaction
from community.metrics.catalogue import build_report
from community.metrics.periods import last_days
from tests import factories


def react(member, post) -> None:
    db.session.add(Reaction(post_id=post.id, member_id=member.id, kind="like"))


def test_members_ranked_by_weighted_breadth_with_terms_of_visible_posts(app):
    community = factories.make_community(slug="boards", name="Boards")
    ann = factories.make_member(name="Ann Lee")  # council: rank 30
    bob = factories.make_member(name="Bob Ray")  # council: 30
    cara = factories.make_member("member", "executive", name="Cara Diaz")  # 20
    dan = factories.make_member("member", "strategist", name="Dan Ito")  # 10
    thread = factories.start_thread(
        ann, community, "Board trust", "Measuring board trust with metrics."
    )
    (bob_reply,) = factories.add_posts(thread, bob, 1)
    factories.add_posts(thread, cara, 2)  # two replies: Cara still counts once
    (held,) = factories.add_posts(thread, ann, 1)
    held.body = "A secretword nobody may read."
    held.held_reason = "Held for review after flags."
    ann_first = db.session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.number == 1)
    ).one()
    react(dan, ann_first)
    react(ann, ann_first)  # her own reaction: not a response
    react(ann, bob_reply)
    commit()

    rows = build_report("influence", last_days(7)).rows
    # Ann: Bob, Cara and Dan answered her: breadth 3, weighted 30 + 20 + 10 = 60.
    # Bob: Ann reacted to him: breadth 1, weighted 30. Cara and Dan: nobody answered them.
    assert rows == [
        [
            "Boards",
            "Ann Lee",
            3,
            60,
            "board measuring metrics trust",
            "Measuring board trust with metrics.",
        ],
        ["Boards", "Bob Ray", 1, 30, "differs observation", "Observation 0: differs."],
    ]
    assert "secretword" not in str(rows)
