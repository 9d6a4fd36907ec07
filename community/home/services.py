"""A member's home: what needs them, what's new, what's next, gathered from every domain.

Each section asks its own domain, which asks the access package; each is a fixed number of
queries over indexes or counters kept on write, so home costs the same with 50 threads or
50,000 (``tests/integration/test_unread_scale.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from community import access
from community.events.models import Event
from community.events.services import list_my_upcoming_events
from community.forum.models import Thread
from community.forum.posting import is_new_member
from community.forum.thread_moderation import list_assigned
from community.forum.unread import (
    LIBRARY_NEWS_CAP,
    library_discussions_with_news,
    whats_new,
)
from community.library.models import Resource
from community.library.services import list_new_in_followed_topics
from community.members.models import Member
from community.membership.services import count_pending_requests
from community.moderation.flags import QueueCounts, count_review_queue
from community.notifications.models import Notification
from community.notifications.services import list_unread_of_kind

UNREAD_THREADS = 10
NEEDS_ME = 5


@dataclass(frozen=True)
class ModerationQueues:
    """What waits for this moderator (None: a queue they do not work)."""

    requests: int | None
    review: QueueCounts | None


@dataclass(frozen=True)
class Home:
    unread: list[tuple[Thread, int]]  # subject threads with unread posts, newest first
    library_discussions: int  # library discussions with unread posts, up to the cap + 1
    assigned: list[Thread]  # threads waiting for the member's response
    mentions: list[Notification]  # unread mentions of the member
    events: list[Event]  # upcoming events the member is going to
    resources: list[Resource]  # new library items in topics the member follows
    queues: ModerationQueues | None  # None: not a moderator or chapter lead
    first_run: bool  # a new member: show how to start

    @property
    def library_discussions_label(self) -> str:
        if self.library_discussions > LIBRARY_NEWS_CAP:
            return f"{LIBRARY_NEWS_CAP}+"
        return str(self.library_discussions)

    @property
    def needs_me(self) -> bool:
        return bool(self.assigned or self.mentions)


def _queues(member: Member) -> ModerationQueues | None:
    requests = count_pending_requests() if access.is_moderator(member) else None
    review = count_review_queue(member) if access.works_review_queue(member) else None
    if requests is None and review is None:
        return None
    return ModerationQueues(requests, review)


def get_home(member: Member) -> Home:
    """Every section of the member's home."""
    return Home(
        unread=whats_new(member, UNREAD_THREADS),
        library_discussions=library_discussions_with_news(member),
        assigned=list_assigned(member, NEEDS_ME),
        mentions=list_unread_of_kind(member, "mention", NEEDS_ME),
        events=list_my_upcoming_events(member),
        resources=list_new_in_followed_topics(member),
        queues=_queues(member),
        first_run=is_new_member(member),
    )
