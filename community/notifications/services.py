"""Storing notifications, reading them back, and each member's choices of channel.

``notify`` is the one way in: it asks the access module whether each recipient may open the
object *now*, drops the actor and those who turned the kind off or muted the thread, folds
repeats into one row, commits, and only then pushes to sockets and sends emails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import insert, select, update
from sqlalchemy.orm import selectinload

from community import access
from community.core.clock import utcnow
from community.core.errors import DomainError, NotFound
from community.core.events import commit, on_commit
from community.core.mail import send_email
from community.core.models import rows_changed, upsert
from community.core.urls import external_url
from community.events.models import Event
from community.extensions import db
from community.forum.models import Community, CommunityWatch, Post, Thread, WatchLevel
from community.forum.watching import chosen_levels
from community.library.models import Resource
from community.members.models import Member, MemberStatus
from community.messages.models import Conversation
from community.notifications import badge, live
from community.notifications.kinds import COMMUNITY_DIGEST, DIGEST_CHANNELS, KINDS, Channel
from community.notifications.models import Notification, NotificationActor, NotificationSetting

# Kinds a member hears about even in a thread they muted: someone asked them, by name, to act.
_THROUGH_MUTE = frozenset({"assigned"})
# Recipients stored and committed together; the event loop serves others between batches.
NOTIFY_BATCH = 10


# What a notification may be about, loaded with a page of them for the access checks.
SUBJECTS = (
    selectinload(Notification.thread),
    selectinload(Notification.post),
    selectinload(Notification.event),
    selectinload(Notification.resource),
    selectinload(Notification.conversation),
)


@dataclass(frozen=True)
class Draft:
    """One notification before it is addressed: the same text goes to every recipient."""

    kind: str
    text: str
    url: str
    actor_id: int | None = None
    thread: Thread | None = None
    post: Post | None = None
    event: Event | None = None
    resource: Resource | None = None
    conversation: Conversation | None = None
    # Unread rows with the same key fold into one, whose text becomes ``folded_text`` with
    # the number of events folded so far ("{count} new posts in ...").
    group_key: str | None = None
    folded_text: str | None = None


FORMER_MEMBER = "A former member"


def who_did_it(member: Member | None) -> str:
    """How a notification names the member who acted ("@handle", or a former member)."""
    if member is None or member.status == MemberStatus.DELETED:
        return FORMER_MEMBER
    return f"@{member.handle}"


def notify(recipient_ids: Iterable[int], draft: Draft) -> int:
    """Store ``draft`` for each recipient who may open its object and wants this kind; returns
    how many were told.

    Recipients are handled in batches, each loaded, stored and committed on its own: between
    batches the event loop serves other requests, so telling a thousand watchers never holds
    it for long, and no batch pays for the objects of the ones before it (a commit expires
    every object the session holds)."""
    ids = {rid for rid in recipient_ids if rid is not None and rid != draft.actor_id}
    if not ids:
        return 0
    active = db.session.scalars(
        select(Member.id)
        .where(Member.id.in_(ids), Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id)
    ).all()
    channels = channels_for(active, draft.kind)
    levels = chosen_levels(draft.thread) if draft.thread is not None else {}
    told = 0
    for start in range(0, len(active), NOTIFY_BATCH):
        batch = db.session.scalars(
            select(Member)
            .where(Member.id.in_(active[start : start + NOTIFY_BATCH]))
            .order_by(Member.id)
        ).all()
        told += _notify_batch(batch, draft, channels, levels)
    return told


def _notify_batch(
    recipients: Sequence[Member],
    draft: Draft,
    channels: dict[int, Channel],
    levels: dict[int, WatchLevel],
) -> int:
    """Store, count and push one batch: a fixed number of statements whatever its size (one
    read of the rows to fold into, one insert, one update of the folded rows and one of the
    badges), and the access check in Python, the same predicate the list and badge use."""
    told = [
        member
        for member in recipients
        if channels[member.id] != Channel.OFF
        and (levels.get(member.id) != WatchLevel.MUTED or draft.kind in _THROUGH_MUTE)
        and _may_open(member, draft)
    ]
    if not told:
        return 0
    stored = _fold_or_add(told, draft, utcnow())
    for member, notification in zip(told, stored, strict=True):
        if channels[member.id] == Channel.EMAIL and notification.emailed_at is None:
            _email_now(member, notification)  # once per row: folded repeats do not email again
    badge.count_delivered([member.id for member in told])
    unread = badge.unread_counts(told)
    for notification in stored:
        payload = notification.as_payload() | {"unread_count": unread[notification.member_id]}
        on_commit(live.push_notification, notification.member_id, payload)
    commit()
    return len(stored)


def _may_open(member: Member, draft: Draft | Notification) -> bool:
    """Whether the member may open everything the notification is about, asked now."""
    return access.can_open_notification(member, draft)


def _fold_or_add(members: Sequence[Member], draft: Draft, now: datetime) -> list[Notification]:
    """Each member's row for ``draft``, in the order of ``members``: their unread row with the
    same group key, one event more, or a new one (all new rows in one INSERT)."""
    member_ids = [member.id for member in members]
    rows: dict[int, Notification] = {}
    if draft.group_key is not None:
        rows = {
            row.member_id: row
            for row in db.session.scalars(
                select(Notification).where(
                    Notification.member_id.in_(member_ids),
                    Notification.group_key == draft.group_key,
                    Notification.read_at.is_(None),
                )
            )
        }
    for row in rows.values():
        row.count += 1
        row.text = (draft.folded_text or draft.text).replace("{count}", str(row.count))
        # A fold is news: it moves to the top, and the badge counts folded events, so
        # "2 members reacted" shows one more than "1 member reacted".
        row.updated_at, row.actor_id = now, draft.actor_id
    new = [_new_row(member_id, draft, now) for member_id in member_ids if member_id not in rows]
    if new:
        added = db.session.scalars(insert(Notification).returning(Notification.id), new).all()
        rows |= {
            row.member_id: row
            for row in db.session.scalars(select(Notification).where(Notification.id.in_(added)))
        }
    db.session.flush()  # the folds, in one UPDATE
    if draft.actor_id is not None:
        db.session.execute(
            upsert(NotificationActor).on_conflict_do_nothing(),
            [{"notification_id": rows[m].id, "member_id": draft.actor_id} for m in member_ids],
        )
    return [rows[member_id] for member_id in member_ids]


def _new_row(member_id: int, draft: Draft, now: datetime) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "kind": draft.kind,
        "text": draft.text,
        "url": draft.url,
        "actor_id": draft.actor_id,
        "thread_id": draft.thread.id if draft.thread else None,
        "post_id": draft.post.id if draft.post else None,
        "event_id": draft.event.id if draft.event else None,
        "resource_id": draft.resource.id if draft.resource else None,
        "conversation_id": draft.conversation.id if draft.conversation else None,
        "group_key": draft.group_key,
        "count": 1,
        "created_at": now,
        "updated_at": now,
    }


def _email_now(member: Member, notification: Notification) -> None:
    notification.emailed_at = utcnow()
    unsubscribe = unsubscribe_url(member, notification.kind)
    send_email(
        member.email,
        notification.text,
        "notification",
        headers=unsubscribe_headers(unsubscribe),
        member=member,
        notification=notification,
        link=external_url("notifications.open", notification_id=notification.id),
        settings_url=external_url("notifications.settings"),
        unsubscribe_url=unsubscribe,
        kind_label=KINDS[notification.kind].label,
    )


# --- Reading ----------------------------------------------------------------------------


def list_unread_of_kind(member: Member, kind: str, limit: int = 5) -> list[Notification]:
    """The member's newest unread notifications of one kind ("mention": who is waiting for
    them), by the member's unread index; rows they can no longer open are left out."""
    rows = db.session.scalars(
        select(Notification)
        .where(
            Notification.member_id == member.id,
            Notification.read_at.is_(None),
            Notification.kind == kind,
        )
        .options(*SUBJECTS)
        .order_by(Notification.updated_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return [n for n in rows if still_visible(member, n)]


def still_visible(member: Member, notification: Notification) -> bool:
    return _may_open(member, notification)


def notifications_since(member: Member, since: datetime) -> list[Notification]:
    """What a reconnecting client missed: rows created or folded into after ``since``."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.member_id == member.id, Notification.updated_at > since)
        .options(*SUBJECTS)
        .order_by(Notification.updated_at)
        .limit(100)
    )
    return [n for n in rows if still_visible(member, n)]


def get_own_notification(member: Member, notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.member_id != member.id:
        raise NotFound("There is no such notification.")
    if not still_visible(member, notification):
        raise NotFound("There is no such notification.")
    return notification


def mark_read(member: Member, notification_id: int) -> Notification:
    notification = get_own_notification(member, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        badge.count_read(member.id, notification.count)
        commit()
    return notification


def mark_all_read(member: Member) -> int:
    badge.count_all_read(member.id)  # first: see the lock order in ``badge``
    marked = rows_changed(
        update(Notification)
        .where(Notification.member_id == member.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    commit()
    return marked


# --- Choices ------------------------------------------------------------------------------


def channels_for(member_ids: Iterable[int], kind: str) -> dict[int, Channel]:
    """Each member's channel for ``kind``: their choice, or the kind's default."""
    default = COMMUNITY_DIGEST.default if kind == COMMUNITY_DIGEST.name else KINDS[kind].default
    ids = list(member_ids)
    chosen = dict(
        db.session.execute(
            select(NotificationSetting.member_id, NotificationSetting.channel).where(
                NotificationSetting.member_id.in_(ids), NotificationSetting.kind == kind
            )
        ).all()
    )
    return {member_id: Channel(chosen.get(member_id, default)) for member_id in ids}


def kinds_for(member: Member) -> list:
    """The kinds this member can receive, in the order the settings page shows them."""
    return [kind for kind in KINDS.values() if not kind.moderators_only or _moderates(member)]


def _moderates(member: Member) -> bool:
    return access.is_moderator(member) or access.is_chapter_lead(member)


def current_settings(member: Member) -> dict[str, Channel]:
    """The member's channel for every kind they can receive, and for the community digest."""
    chosen = dict(
        db.session.execute(
            select(NotificationSetting.kind, NotificationSetting.channel).where(
                NotificationSetting.member_id == member.id
            )
        ).all()
    )
    kinds = [*kinds_for(member), COMMUNITY_DIGEST]
    return {kind.name: Channel(chosen.get(kind.name, kind.default)) for kind in kinds}


def muted_community_ids(member: Member) -> set[int]:
    return set(
        db.session.scalars(
            select(CommunityWatch.community_id).where(
                CommunityWatch.member_id == member.id,
                CommunityWatch.level == WatchLevel.MUTED.value,
            )
        )
    )


def save_settings(
    member: Member,
    choices: dict[str, str],
    communities: list[Community] | None = None,
    muted_ids: set[int] | frozenset[int] = frozenset(),
) -> None:
    """Store the member's channel for each kind named in ``choices``, and mute exactly the
    ``muted_ids`` among ``communities`` (visibility-checked by the caller); a muted community
    sends no notifications, and unmuting returns it to the default, tracking."""
    allowed = {kind.name for kind in kinds_for(member)} | {COMMUNITY_DIGEST.name}
    for kind, value in choices.items():
        if kind not in allowed:
            raise DomainError("There is no such kind of notification.")
        try:
            channel = Channel(value)
        except ValueError:
            raise DomainError("Choose one of the offered channels.", field=kind) from None
        if kind == COMMUNITY_DIGEST.name and channel in (Channel.APP, Channel.EMAIL):
            raise DomainError("The community digest is daily, weekly or off.", field=kind)
        _set_channel(member.id, kind, channel)
    already_muted = muted_community_ids(member)
    for community in communities or []:
        if (community.id in muted_ids) != (community.id in already_muted):
            level = WatchLevel.MUTED if community.id in muted_ids else WatchLevel.TRACKING
            _set_community_level(member.id, community.id, level)
    commit()


def _set_community_level(member_id: int, community_id: int, level: WatchLevel) -> None:
    watch = db.session.get(CommunityWatch, (member_id, community_id))
    if watch is None:
        db.session.add(
            CommunityWatch(member_id=member_id, community_id=community_id, level=level.value)
        )
    else:
        watch.level = level.value


def _set_channel(member_id: int, kind: str, channel: Channel) -> None:
    setting = db.session.get(NotificationSetting, (member_id, kind))
    if setting is None:
        db.session.add(NotificationSetting(member_id=member_id, kind=kind, channel=channel.value))
    else:
        setting.channel = channel.value


# --- Unsubscribe without signing in ----------------------------------------------------------

# A link stops one kind's emails, or a whole digest ("digest:daily").
UNSUBSCRIBABLE = frozenset(KINDS) | {f"digest:{channel.value}" for channel in DIGEST_CHANNELS}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="notifications-unsubscribe")


def unsubscribe_url(member: Member, kind: str) -> str:
    token = _serializer().dumps({"member": member.id, "kind": kind})
    return external_url("notifications.unsubscribe", token=token)


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: mail clients POST to the link without a session."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def read_unsubscribe_token(token: str) -> tuple[Member, str]:
    try:
        data = _serializer().loads(token)
        member = db.session.get(Member, int(data["member"]))
        kind = str(data["kind"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("This unsubscribe link is not valid.") from None
    if member is None or kind not in UNSUBSCRIBABLE:
        raise NotFound("This unsubscribe link is not valid.")
    return member, kind


def unsubscribe(token: str) -> tuple[Member, str]:
    """Stop the emails a link was for. One kind's emails: it stays in the app. A digest: every
    kind it gathered stays in the app, and the community digest goes off."""
    member, kind = read_unsubscribe_token(token)
    if kind in KINDS:
        _set_channel(member.id, kind, Channel.APP)
    else:
        digest_channel = Channel(kind.removeprefix("digest:"))
        for name, channel in current_settings(member).items():
            if channel == digest_channel:
                off = name == COMMUNITY_DIGEST.name
                _set_channel(member.id, name, Channel.OFF if off else Channel.APP)
    commit()
    return member, kind


def unsubscribe_label(kind: str) -> str:
    if kind in KINDS:
        return f"emails about “{KINDS[kind].label.lower()}”"
    return f"the {kind.removeprefix('digest:')} digest"
