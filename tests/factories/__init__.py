"""Factories per domain (Warehouse's ``tests/common/db/<domain>.py``), all re-exported here so
``from tests import factories; factories.make_member(...)`` reads the same in every test."""

from tests.factories.events import draft as event_draft
from tests.factories.events import make_event
from tests.factories.forum import add_posts, make_community, start_thread
from tests.factories.library import make_resource
from tests.factories.members import (
    LEVEL_FOR_TIER,
    PASSWORD,
    TIER_FOR_LEVEL,
    make_member,
    set_profile,
    tier,
)
from tests.factories.membership import add_invitations, application, form_data, make_request
from tests.factories.messages import make_conversation, set_preference

__all__ = [
    "LEVEL_FOR_TIER",
    "PASSWORD",
    "TIER_FOR_LEVEL",
    "add_invitations",
    "add_posts",
    "application",
    "event_draft",
    "form_data",
    "make_community",
    "make_conversation",
    "make_event",
    "make_member",
    "make_request",
    "make_resource",
    "set_preference",
    "set_profile",
    "start_thread",
    "tier",
]
