"""Kept so that ``from tests.event_factories import make_event`` still works; the factories
live in ``tests/factories/events.py``."""

from tests.factories.events import draft, make_event

__all__ = ["draft", "make_event"]
