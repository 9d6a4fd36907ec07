"""Library events in, notifications out: a published resource tells those who follow its
topics and may open it (``notify`` asks the access module about the resource). Followers can
be many, so the job runner does it, not the request or job that published."""

from __future__ import annotations

from sqlalchemy import select

from community import access
from community.core.domain_events import ResourcePublished
from community.core.outbox import subscribe_queued
from community.core.urls import path_for
from community.extensions import db
from community.library.models import Resource, TopicFollow
from community.members.models import Member
from community.notifications.services import Draft, notify


def on_resource_published(event: ResourcePublished) -> None:
    resource = db.session.get(Resource, event.resource_id)
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
            actor_id=event.actor_id,
            resource=resource,
        ),
    )


def subscribe_all() -> None:
    subscribe_queued(ResourcePublished, on_resource_published)  # every follower: queued
