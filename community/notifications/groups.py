"""The notifications page: a member's rows grouped by what they are about.

One entry per thread (or conversation, event or resource; a row about nothing else stands
alone), unread groups first, then the most recently active. Paging counts groups, not rows, and
a page costs the same few queries however many rows its groups hold: one pages the group keys,
one loads their rows with what they are about, one their actors. Every row then passes the
same access check as the badge and the live channel (``can_open_notification``), so a row
about something the member may no longer open is left out, and a group left empty with it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func, select, update

from community.core.clock import utcnow
from community.core.events import commit
from community.core.pagination import Page, paginate
from community.extensions import db
from community.members.models import Member, MemberStatus
from community.notifications import badge
from community.notifications.kinds import KINDS, Kind
from community.notifications.models import Notification, NotificationActor
from community.notifications.services import (
    FORMER_MEMBER,
    SUBJECTS,
    get_own_notification,
    kinds_for,
    still_visible,
)

PER_PAGE = 30


@dataclass(frozen=True)
class NotificationGroup:
    """The visible rows of one group, newest first, and who acted in them, newest first."""

    key: str
    rows: list[Notification]
    actors: list[str]

    @property
    def newest(self) -> Notification:
        return self.rows[0]

    @property
    def unread(self) -> bool:
        return any(row.read_at is None for row in self.rows)

    @property
    def kind(self) -> Kind:
        return KINDS[self.newest.kind]

    @property
    def tally(self) -> list[tuple[Kind, int]]:
        """Events per kind, the newest row's kind first: counts "3 replies · 2 reactions"."""
        events: Counter[str] = Counter()
        for row in self.rows:
            events[row.kind] += row.count
        return [(KINDS[kind], count) for kind, count in events.items()]

    @property
    def summary(self) -> str:
        """ "3 replies · 1 mention", or "" when the headline says it all (a single event)."""
        if sum(count for _, count in self.tally) < 2:
            return ""
        return " · ".join(
            f"{count} {kind.one if count == 1 else kind.many}" for kind, count in self.tally
        )

    @property
    def headline(self) -> str:
        """ "Ada Byron and 3 others replied to “Budgets”" for what members did to a thread or a
        conversation; otherwise the newest row's own words ("Reminder: “Offsite” starts ...")."""
        kinds = {row.kind for row in self.rows}
        subject = _subject_title(self.newest)
        if not self.actors or subject is None or any(KINDS[k].verb is None for k in kinds):
            return self.newest.text
        if len(kinds) == 1:
            verb = KINDS[kinds.pop()].verb
        else:
            verb = "were active in" if len(self.actors) > 1 else "was active in"
        return f"{_names(self.actors)} {verb} {subject}"


def _names(actors: list[str]) -> str:
    if len(actors) == 1:
        return actors[0]
    if len(actors) == 2:
        return f"{actors[0]} and {actors[1]}"
    return f"{actors[0]} and {len(actors) - 1} others"


def _subject_title(row: Notification) -> str | None:
    if row.thread is not None:
        return f"“{row.thread.title}”"
    if row.conversation is not None:
        subject = row.conversation.subject
        return f"“{subject}”" if subject else "a private conversation"
    return None


def _display_name(member: Member) -> str:
    return FORMER_MEMBER if member.status == MemberStatus.DELETED else member.name


def filter_kind(member: Member, requested: str | None) -> Kind | None:
    """The kind the list is filtered by: one the member can receive, or None (all of them) for
    anything else, so an old or hand-made link still shows the list."""
    return next((kind for kind in kinds_for(member) if kind.name == requested), None)


def list_groups(
    member: Member, page: int = 1, kind: Kind | None = None, per_page: int = PER_PAGE
) -> Page[NotificationGroup]:
    """One page of the member's notification groups, only ``kind`` if given."""
    where = [Notification.member_id == member.id]
    if kind is not None:
        where.append(Notification.kind == kind.name)
    key = Notification.subject_key
    keys_page = paginate(
        select(key)
        .where(*where)
        .group_by(key)
        .order_by(
            # Unread groups first (any unread row), then the most recently active.
            func.min(case((Notification.read_at.is_(None), 0), else_=1)),
            func.max(Notification.updated_at).desc(),
            func.max(Notification.id).desc(),
        ),
        page,
        per_page,
    )
    keys: list[str] = keys_page.items
    rows = (
        db.session.scalars(
            select(Notification)
            .where(*where, key.in_(keys))
            .options(*SUBJECTS)
            .order_by(Notification.updated_at.desc(), Notification.id.desc())
        ).all()
        if keys
        else []
    )
    visible = [row for row in rows if still_visible(member, row)]
    actors = _actors(visible)
    by_key: dict[str, list[Notification]] = {k: [] for k in keys}
    for row in visible:
        by_key[row.subject_key].append(row)
    groups = [
        NotificationGroup(k, group_rows, _group_actors(group_rows, actors))
        for k, group_rows in by_key.items()
        if group_rows
    ]
    return Page(groups, keys_page.number, keys_page.per_page, keys_page.total)


def _actors(rows: list[Notification]) -> dict[int, list[Member]]:
    """Each row's actors, in one query."""
    found: dict[int, list[Member]] = {row.id: [] for row in rows}
    if rows:
        for notification_id, actor in db.session.execute(
            select(NotificationActor.notification_id, Member)
            .join(Member, Member.id == NotificationActor.member_id)
            .where(NotificationActor.notification_id.in_(list(found)))
        ).all():
            found[notification_id].append(actor)
    return found


def _group_actors(rows: list[Notification], actors: dict[int, list[Member]]) -> list[str]:
    """Distinct people, newest first: each row's latest actor, then the others it folded."""
    seen: dict[int, str] = {}
    for row in rows:
        latest = [a for a in actors[row.id] if a.id == row.actor_id]
        for actor in latest + [a for a in actors[row.id] if a.id != row.actor_id]:
            seen.setdefault(actor.id, _display_name(actor))
    return list(seen.values())


def mark_group_read(member: Member, group_key: str, kind: Kind | None = None) -> int:
    """Mark every unread row of one group read (only ``kind``'s when the list was filtered);
    returns how many. Rows the member may no longer open are left as they are: the badge does
    not count them, and they come back, unread, if access does."""
    where = [
        Notification.member_id == member.id,
        Notification.subject_key == group_key,
        Notification.read_at.is_(None),
    ]
    if kind is not None:
        where.append(Notification.kind == kind.name)
    rows = db.session.scalars(select(Notification).where(*where).options(*SUBJECTS)).all()
    readable = [row.id for row in rows if still_visible(member, row)]
    if not readable:
        return 0
    # The counts as the UPDATE leaves them: a repeat folded in meanwhile is read with the rest.
    counts = db.session.scalars(
        update(Notification)
        .where(Notification.id.in_(readable), Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .returning(Notification.count)
        .execution_options(synchronize_session=False)
    ).all()
    badge.count_read(member.id, sum(counts))
    commit()
    return len(counts)


def open_notification(member: Member, notification_id: int) -> Notification:
    """Follow a notification: its whole group is read (the member goes to what it is about)."""
    notification = get_own_notification(member, notification_id)
    mark_group_read(member, notification.subject_key)
    return notification
