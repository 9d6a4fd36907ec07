"""Domain events are catalogued classes: anything else is refused where it is written, and a
queued handler runs in the worker, from a task written in the publisher's own transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import FrozenInstanceError, dataclass

import pytest
from flask import Flask
from sqlalchemy import select

from community.core import domain_events, events, outbox
from community.core.domain_events import (
    CATALOGUE,
    DomainEvent,
    FlagRaised,
    MemberSignedOut,
    PostCreated,
)
from community.core.events import commit, publish, subscribe, subscribe_in_transaction
from community.core.outbox import QueuedTask, drain_all, subscribe_queued
from community.extensions import db
from community.membership.models import Tier


@dataclass(frozen=True)
class Uncatalogued(DomainEvent):
    """Shaped like an event, but not in the catalogue."""

    post_id: int


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Empty subscriber and task registries, so a test's handlers leave with it."""
    monkeypatch.setattr(events, "_after_commit", defaultdict(list))
    monkeypatch.setattr(events, "_in_transaction", defaultdict(list))
    monkeypatch.setattr(outbox, "_handlers", {})


def add_tier(slug: str) -> None:
    db.session.add(Tier(slug=slug, name=slug.title(), rank=40, description=""))


def queued_kinds() -> list[str]:
    return list(db.session.scalars(select(QueuedTask.kind).where(QueuedTask.done_at.is_(None))))


# --- The catalogue refuses everything else --------------------------------------------------


@pytest.mark.parametrize(
    "event",
    ["post_created", {"post_id": 1}, Uncatalogued(post_id=1), DomainEvent(), PostCreated],
    ids=["name", "dict", "uncatalogued-class", "base-class", "class-not-instance"],
)
def test_publish_refuses_anything_but_a_catalogued_event(app: Flask, event: object) -> None:
    with pytest.raises(TypeError, match="not a catalogued domain event"):
        publish(event)  # type: ignore[arg-type]


def test_the_old_call_with_a_name_and_a_payload_fails_at_once(app: Flask) -> None:
    with pytest.raises(TypeError):
        publish("post_create", post_id=1)  # type: ignore[call-arg, arg-type]


@pytest.mark.parametrize("event_class", ["post_created", Uncatalogued, DomainEvent, int])
@pytest.mark.parametrize("subscriber", [subscribe, subscribe_in_transaction, subscribe_queued])
def test_subscribing_refuses_anything_but_a_catalogued_class(
    registry: None, event_class: object, subscriber
) -> None:
    with pytest.raises(TypeError, match="not a catalogued domain event"):
        subscriber(event_class, lambda event: None)
    assert not events._after_commit and not events._in_transaction and not outbox._handlers


def test_a_handler_must_be_callable(registry: None) -> None:
    with pytest.raises(TypeError, match="not callable"):
        subscribe(PostCreated, "on_post_created")  # type: ignore[arg-type]


def test_events_carry_ids_of_the_declared_types_and_cannot_change() -> None:
    with pytest.raises(TypeError, match=r"PostCreated.post_id must be <class 'int'>, not str"):
        PostCreated(post_id="7")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not bool"):
        PostCreated(post_id=True)
    with pytest.raises(TypeError, match="not Tier"):
        PostCreated(post_id=Tier(slug="x"))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        PostCreated()  # type: ignore[call-arg]
    assert FlagRaised(flag_id=1, thread_id=2) == FlagRaised(flag_id=1, thread_id=2, post_id=None)
    assert MemberSignedOut(member_id=3).session_hash is None
    with pytest.raises(FrozenInstanceError):
        PostCreated(post_id=7).post_id = 8  # type: ignore[misc]


def test_every_catalogued_event_is_a_frozen_domain_event() -> None:
    defined = {
        value
        for value in vars(domain_events).values()
        if isinstance(value, type) and issubclass(value, DomainEvent) and value is not DomainEvent
    }
    assert defined == set(CATALOGUE)  # an event class left out of the catalogue could not be sent
    for event_class in CATALOGUE:
        assert issubclass(event_class, DomainEvent)
        assert event_class.__dataclass_params__.frozen  # type: ignore[attr-defined]


# --- Dispatch -------------------------------------------------------------------------------


def test_published_events_reach_their_subscribers_after_the_commit(
    app: Flask, registry: None
) -> None:
    received: list[DomainEvent] = []
    subscribe(PostCreated, received.append)
    subscribe(PostCreated, received.append)  # subscribing twice does not deliver twice
    subscribe(FlagRaised, lambda event: received.append(event))
    add_tier("fellow")
    publish(PostCreated(post_id=7))
    assert received == []

    commit()

    assert received == [PostCreated(post_id=7)]


def test_a_rolled_back_publish_reaches_nobody_and_queues_nothing(
    app: Flask, registry: None
) -> None:
    received: list[DomainEvent] = []
    subscribe(PostCreated, received.append)
    subscribe_queued(PostCreated, received.append)
    add_tier("fellow")
    publish(PostCreated(post_id=7))
    assert queued_kinds() == ["PostCreated:append"]  # written in the same transaction

    db.session.rollback()
    drain_all()

    assert received == [] and queued_kinds() == []


def test_a_queued_handler_runs_in_the_worker_with_the_event(app: Flask, registry: None) -> None:
    handled: list[DomainEvent] = []

    def on_flag(event: FlagRaised) -> None:
        handled.append(event)

    subscribe_queued(FlagRaised, on_flag)
    subscribe_queued(FlagRaised, on_flag)  # an app built twice queues one task
    publish(FlagRaised(flag_id=1, thread_id=2))
    commit()
    assert handled == [] and queued_kinds() == ["FlagRaised:on_flag"]

    assert drain_all().done == 1

    assert handled == [FlagRaised(flag_id=1, thread_id=2, post_id=None)]
    assert queued_kinds() == []


def test_two_queued_handlers_may_not_share_a_task_name(registry: None) -> None:
    def on_post(event: PostCreated) -> None: ...

    subscribe_queued(PostCreated, on_post)

    def on_post(event: PostCreated) -> None: ...  # type: ignore[no-redef]  # another, same name

    with pytest.raises(ValueError, match="two queued handlers"):
        subscribe_queued(PostCreated, on_post)
