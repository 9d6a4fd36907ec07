"""The welcome after accepting an invitation: what to read first and whom to hear from.

Suggestions come from what the member may see, so a new member is never shown a community or
topic that would answer 404. There is no level-to-community mapping in the data today, so
communities are the most active the member can open; topics matching the member's interests
come first.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from community import access
from community.extensions import db
from community.forum.models import Community
from community.library.models import Topic, TopicFollow
from community.members.models import Member

SUGGESTED_COMMUNITIES = 4
SUGGESTED_TOPICS = 6


def suggested_communities(member: Member) -> list[Community]:
    query = (
        access.visible_communities(member)
        .order_by(None)
        .order_by(Community.post_count.desc(), Community.name)
        .limit(SUGGESTED_COMMUNITIES)
    )
    return list(db.session.scalars(query))


def suggested_topics(member: Member) -> list[Topic]:
    """Topics the member may see and does not follow yet, their interests first."""
    tags = [interest.tag for interest in member.interests]
    followed = select(TopicFollow.topic_id).where(TopicFollow.member_id == member.id)
    matches = case((func.lower(Topic.name).in_(tags), 0), else_=1) if tags else None
    query = select(Topic).where(access.visible_topics_filter(member), Topic.id.not_in(followed))
    if matches is not None:
        query = query.order_by(matches)
    return list(db.session.scalars(query.order_by(Topic.name).limit(SUGGESTED_TOPICS)))
