"""Reactions: adding or taking one back, and who reacted to one post as the thread page shows it
(what a reaction answered in place, static/js/actions.js, needs to redraw that post's buttons)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from community import access
from community.core.domain_events import ReactionAdded, ReactionWithdrawn
from community.core.errors import DomainError, PermissionDenied
from community.core.events import commit, publish
from community.extensions import db
from community.forum.models import Reaction, ReactionKind
from community.members.models import Member


@dataclass(frozen=True)
class ReactionSummary:
    names: list[str]  # who reacted with this kind, oldest first
    mine: bool  # the viewer is among them


def get_post_reactions(member: Member, post_id: int) -> dict[str, ReactionSummary]:
    """kind -> who reacted to the post, for every kind; a post the member cannot see is
    NotFound."""
    post = access.get_visible_post(member, post_id)
    rows = db.session.execute(
        select(Reaction.kind, Reaction.member_id, Member.name)
        .join(Member, Member.id == Reaction.member_id)
        .where(Reaction.post_id == post.id)
        .order_by(Reaction.created_at)
    )
    names: dict[str, list[str]] = {kind.value: [] for kind in ReactionKind}
    mine: set[str] = set()
    for kind, member_id, name in rows:
        names.setdefault(kind, []).append(name)
        if member_id == member.id:
            mine.add(kind)
    return {kind: ReactionSummary(who, kind in mine) for kind, who in names.items()}


def toggle_reaction(member: Member, post_id: int, kind: str) -> bool:
    """Add or take back a reaction; returns whether it is now on."""
    try:
        reaction_kind = ReactionKind(kind)
    except ValueError:
        raise DomainError("Unknown reaction.") from None
    post = access.get_visible_post(member, post_id)
    if not access.can_react(member, post):
        if post.deleted_at is not None:
            raise PermissionDenied("Deleted posts take no reactions.")
        raise PermissionDenied("You cannot react to your own post.")
    existing = db.session.get(Reaction, (post.id, member.id, reaction_kind.value))
    if existing is not None:
        db.session.delete(existing)
        publish(
            ReactionWithdrawn(
                post_id=post.id,
                member_id=member.id,
                kind=existing.kind,
                given_on=existing.created_at.date().isoformat(),
            )
        )
        commit()
        return False
    db.session.add(Reaction(post_id=post.id, member_id=member.id, kind=reaction_kind.value))
    publish(ReactionAdded(post_id=post.id, member_id=member.id, kind=reaction_kind.value))
    commit()
    return True
