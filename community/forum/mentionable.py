"""Suggestions for @mentions while writing: handles of active members who could read the place
the post goes to, so the editor never proposes (or reveals) anyone the mention would not reach."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select

from community import access
from community.extensions import db
from community.forum.models import Community
from community.members.models import Member, MemberStatus

MAX_SUGGESTIONS = 8
_PREFIX_RE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,29}")


@dataclass(frozen=True)
class Suggestion:
    """What the picker shows: the name and title the member's posts show their readers."""

    handle: str
    name: str
    title: str


def _suggest(member: Member, prefix: str, readers: ColumnElement[bool]) -> list[Suggestion]:
    prefix = prefix.strip().lstrip("@").lower()
    if not _PREFIX_RE.fullmatch(prefix):
        return []
    # The prefix pattern has no LIKE wildcards but '_' and '.'; '_' is escaped.
    like = prefix.replace("_", r"\_") + "%"
    rows = db.session.execute(
        select(Member.handle, Member.name, Member.title)
        .where(
            Member.handle.like(like, escape="\\"),
            Member.status == MemberStatus.ACTIVE.value,
            Member.id != member.id,
            readers,
        )
        .order_by(Member.handle)
        .limit(MAX_SUGGESTIONS)
    )
    return [Suggestion(handle, name, title or "") for handle, name, title in rows]


def mentionable_in_thread(member: Member, thread_id: int, prefix: str) -> list[Suggestion]:
    """Up to eight handles starting with ``prefix`` of members who can read the thread."""
    thread = access.get_visible_thread(member, thread_id)
    return _suggest(member, prefix, access.thread_readers_filter(thread))


def mentionable_in_community(member: Member, community: Community, prefix: str) -> list[Suggestion]:
    """The same for a new thread; ``community`` comes from a visibility-checked lookup."""
    return _suggest(member, prefix, access.community_readers_filter(community))
