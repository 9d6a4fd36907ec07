"""Library events in, notifications out: a published resource tells those who follow its
topics and may open it (``notify`` asks the access module about the resource)."""

from __future__ import annotations

from sqlalchemy import select

from community import access
from community.core.events import subscribe
from community.core.urls import path_for
from community.extensions import db
from community.library.models import Resource, TopicFollow
from community.members.models import Member
from community.notifications.services import Draft, notify


def on_resource_published(resource_id: int, actor_id: int | None) -> None:
    resource = db.session.get(Resource, resource_id)
    if resource is None or not resource.is_published:
        return
    topic_ids = [topic.id for topic in resource.topics]
    if not topic_ids:
        return
    followers = db.session.scalars(
        select(Member)
        .where(
            Member.id.in_(select(TopicFollow.member_id).where(TopicFollow.topic_id.in_(topic_ids))),
            access.resource_readers_filter(resource),
        )
        .distinct()
    )
    notify(
        [member.id for member in followers],  # narrowed in SQL; notify has the last word
        Draft(
            kind="library_resource",
            text=f"New in the library: “{resource.title}” ({resource.kind_label})",
            url=path_for("library.resource", resource_id=resource.id),
            actor_id=actor_id,
            resource=resource,
        ),
    )


def subscribe_all() -> None:
    subscribe("resource_published", on_resource_published)
