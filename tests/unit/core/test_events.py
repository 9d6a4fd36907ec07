"""Side effects run after the commit, never inside it, and never undo it."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from community.core.events import commit, on_commit
from community.extensions import db
from community.members.models import Tier

# These tests ask another connection what was really committed.
pytestmark = pytest.mark.real_commits


def committed_tier_slugs() -> set[str]:
    """What another connection sees: only what was really committed."""
    with db.engine.connect() as connection:
        return set(connection.scalars(text("SELECT slug FROM tier")))


def add_tier(slug: str, rank: int) -> Tier:
    tier = Tier(slug=slug, name=slug.title(), rank=rank, description="")
    db.session.add(tier)
    return tier


def test_callbacks_run_only_after_the_commit(app: Flask) -> None:
    seen: list[set[str]] = []
    add_tier("fellow", 40)
    db.session.flush()
    on_commit(lambda: seen.append(committed_tier_slugs()))

    assert seen == []  # flushed, queued, but not yet committed: nothing ran

    commit()

    assert len(seen) == 1
    assert "fellow" in seen[0]  # the callback saw the committed row


def test_callbacks_receive_their_arguments_in_order(app: Flask) -> None:
    calls: list[tuple] = []
    add_tier("fellow", 40)
    on_commit(lambda *args, **kwargs: calls.append(("first", args, kwargs)), 1, b=2)
    on_commit(lambda: calls.append(("second", (), {})))

    commit()

    assert calls == [("first", (1,), {"b": 2}), ("second", (), {})]


def test_callbacks_run_once(app: Flask) -> None:
    calls: list[str] = []
    add_tier("fellow", 40)
    on_commit(calls.append, "sent")
    commit()

    add_tier("alumni", 5)
    commit()

    assert calls == ["sent"]


def test_rollback_discards_queued_callbacks(app: Flask) -> None:
    calls: list[str] = []
    add_tier("fellow", 40)
    on_commit(calls.append, "email")

    db.session.rollback()
    add_tier("alumni", 5)
    commit()

    assert calls == []
    assert "fellow" not in committed_tier_slugs()
    assert "alumni" in committed_tier_slugs()


def test_rollback_discards_callbacks_queued_before_any_query(app: Flask) -> None:
    calls: list[str] = []
    db.session.commit()  # a fresh unit of work that has not touched the database yet
    on_commit(calls.append, "email")

    db.session.rollback()
    add_tier("alumni", 5)
    commit()

    assert calls == []


def test_a_failed_commit_runs_no_callbacks(app: Flask) -> None:
    calls: list[str] = []
    add_tier("fellow", 40)
    add_tier("fellow", 41)  # duplicate slug: the commit fails
    on_commit(calls.append, "email")

    with pytest.raises(IntegrityError):
        commit()
    db.session.rollback()
    add_tier("alumni", 5)
    commit()

    assert calls == []
    assert "fellow" not in committed_tier_slugs()


def test_a_failing_callback_does_not_lose_the_write(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def broken() -> None:
        raise RuntimeError("mail server down")

    add_tier("fellow", 40)
    on_commit(broken)
    on_commit(calls.append, "after")

    with caplog.at_level(logging.ERROR, logger="community.core.events"):
        commit()  # does not raise

    assert "fellow" in committed_tier_slugs()
    assert calls == ["after"]  # later side effects still happen
    assert "mail server down" in caplog.text
    # The session is usable afterwards and still sees the row.
    assert db.session.scalars(select(Tier).where(Tier.slug == "fellow")).one().rank == 40


def test_a_failing_callback_that_wrote_does_not_leave_half_a_write(app: Flask) -> None:
    def half_done() -> None:
        add_tier("half", 50)
        db.session.flush()
        raise RuntimeError("broke midway")

    add_tier("fellow", 40)
    on_commit(half_done)
    commit()
    add_tier("alumni", 5)
    commit()

    assert committed_tier_slugs() >= {"fellow", "alumni"}
    assert "half" not in committed_tier_slugs()
