"""A member's vote in a poll is stored once, even when two of their requests race."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.core.errors import DomainError
from community.extensions import db
from community.forum import polls, services
from community.forum.models import PollBallot, PollOption, PollVote
from community.forum.polls import PollDraft
from tests.integration.test_forum import make_community


@pytest.mark.parametrize("multiple", [False, True])
def test_two_racing_votes_by_one_member_store_one_ballot(as_member, monkeypatch, multiple):
    """Both requests pass the "already voted?" check before either commits (simulated by
    having the check answer no); the database keeps the second one out."""
    community = make_community()
    _, author = as_member()
    _, voter = as_member()
    thread = services.create_thread(
        author,
        community,
        "Budget split",
        "How do you split it?",
        PollDraft("Paid or organic first?", ["Paid", "Organic"], multiple=multiple),
    )
    paid, organic = db.session.scalars(select(PollOption.id).order_by(PollOption.position))
    monkeypatch.setattr(polls, "has_voted", lambda member, poll: False)

    polls.vote(voter, thread.id, [paid])
    with pytest.raises(DomainError, match="already voted"):
        polls.vote(voter, thread.id, [organic])

    assert db.session.scalar(select(func.count()).select_from(PollBallot)) == 1
    assert list(db.session.scalars(select(PollVote.option_id))) == [paid]
