"""Notifications: whether a member may open everything a notification is about."""

from __future__ import annotations

from typing import Any

from community.access.events import can_see_event
from community.access.forum import can_see_post, can_see_thread
from community.access.library import can_see_resource
from community.access.messages import can_see_conversation
from community.members.models import Member


def can_open_notification(member: Member, about: Any) -> bool:
    """``about`` is a notification or a draft of one (its ``thread``, ``post``, ``event``,
    ``resource`` and ``conversation``, each possibly None). Asked at delivery, in the list, and
    for the unread badge, so all three agree on what counts."""
    if about.thread is not None and not can_see_thread(member, about.thread):
        return False
    if about.post is not None and not can_see_post(member, about.post):
        return False
    if about.event is not None and not can_see_event(member, about.event):
        return False
    if about.conversation is not None and not can_see_conversation(member, about.conversation):
        return False
    return about.resource is None or can_see_resource(member, about.resource)
