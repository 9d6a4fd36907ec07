"""A reminder to those going, a day before each event.

``send_due_reminders`` is safe to run as often as you like: each event's reminder is claimed
once (``reminder_sent_at``) by a conditional UPDATE, so two runs at the same moment do not both
send it. Run it every few minutes, from cron::

    */10 * * * *  cd /srv/council && .venv/bin/community events remind

and ``community run`` runs it every 5 minutes in-process (``core/jobs.py``). An event moved
to a new date is reminded again (editing the start clears ``reminder_sent_at``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from community.core.clock import utcnow
from community.core.domain_events import EventReminderDue
from community.core.events import commit, publish
from community.events.models import Event
from community.extensions import db

REMIND_BEFORE = timedelta(hours=24)


def send_due_reminders(now: datetime) -> int:
    """Publish ``EventReminderDue`` for each event starting within the next 24 hours whose
    reminder has not gone out; returns how many events were reminded."""
    due = db.session.scalars(
        select(Event.id).where(
            Event.cancelled_at.is_(None),
            Event.reminder_sent_at.is_(None),
            Event.starts_at > now,
            Event.starts_at <= now + REMIND_BEFORE,
        )
    ).all()
    sent = 0
    for event_id in due:
        claimed = db.session.execute(
            update(Event)
            .where(Event.id == event_id, Event.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount:  # type: ignore[attr-defined]
            publish(EventReminderDue(event_id=event_id))
            sent += 1
    commit()
    return sent


def send_reminders_now() -> int:
    """The periodic job (every 5 minutes under ``community run``) and the CLI's entry point."""
    return send_due_reminders(utcnow())
