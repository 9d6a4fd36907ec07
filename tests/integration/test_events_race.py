"""No overbooking: members answering "going" at the same moment, each request in its own thread
with its own app context and database connection, on SQLite and on PostgreSQL (--db)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from community.events.models import Answer, Rsvp
from community.extensions import db
from tests import factories
from tests.factories.events import make_event

CAPACITY, MEMBERS = 3, 12

pytestmark = pytest.mark.real_commits  # each thread has its own connection


def test_concurrent_going_answers_fill_the_places_exactly_and_queue_the_rest(app):
    event_id = make_event(capacity=CAPACITY).id
    clients = []
    for _ in range(MEMBERS):
        member = factories.make_member()
        client = app.test_client()
        client.sign_in(member.email)
        clients.append((client, client.csrf_token()))
    db.session.remove()  # the test's own connection stays out of the way
    start = threading.Barrier(MEMBERS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def answer(client, token: str) -> None:
        try:
            with app.app_context():  # each request's thread has its own, as in production
                start.wait(timeout=10)
                response = client.post(
                    f"/events/{event_id}/rsvp", data={"answer": "going", "csrf_token": token}
                )
            statuses.append(response.status_code)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=answer, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert statuses == [302] * MEMBERS
    rows = db.session.scalars(select(Rsvp).where(Rsvp.event_id == event_id)).all()
    going = [r for r in rows if r.answer == Answer.GOING]
    waiting = sorted((r for r in rows if r.answer == Answer.WAITING), key=lambda r: r.id)
    assert len(going) == CAPACITY
    assert len(waiting) == MEMBERS - CAPACITY
    # Numbers are handed out one at a time under the lock: 1..9, each once, in the order the
    # answers were stored.
    assert [r.waitlist_number for r in waiting] == list(range(1, MEMBERS - CAPACITY + 1))
