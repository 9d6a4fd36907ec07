"""The member's activity for their data export (``members/export_data.py`` says what is in
and what stays out): posts, reactions, votes, library, events, watches, notifications and
private messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from community import access
from community.events.models import Event, Rsvp
from community.extensions import db
from community.forum.models import (
    Community,
    CommunityWatch,
    Poll,
    PollOption,
    PollVote,
    Post,
    Reaction,
    Thread,
    ThreadWatch,
)
from community.library.models import Completion, Resource, Topic, TopicFollow, resource_author
from community.members.models import Member
from community.messages.contact import shown_status
from community.messages.models import ConversationMember, IntroductionRequest, Message
from community.notifications.models import Notification
from community.notifications.services import still_visible

Row = dict[str, Any]
OUT_OF_SIGHT = "(no longer visible to you)"


def iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def thread_title(member: Member, thread: Thread) -> str:
    if thread.author_id == member.id or access.can_see_thread(member, thread):
        return thread.title
    return OUT_OF_SIGHT


def threads_started(member: Member) -> list[Row]:
    threads = db.session.scalars(
        select(Thread).where(Thread.author_id == member.id).order_by(Thread.id)
    )
    return [
        {
            "thread_id": thread.id,
            "community": thread.community.slug
            if access.can_see_community(member, thread.community)
            else OUT_OF_SIGHT,
            "title": thread.title,
            "created_at": iso(thread.created_at),
            "posts": thread.post_count,
            "closed_at": iso(thread.closed_at),
            "deleted_at": iso(thread.deleted_at),
        }
        for thread in threads
    ]


def posts(member: Member) -> list[Row]:
    rows = db.session.execute(
        select(Post, Thread).join(Thread).where(Post.author_id == member.id).order_by(Post.id)
    )
    return [
        {
            "post_id": post.id,
            "thread_id": thread.id,
            "thread_title": thread_title(member, thread),
            "number": post.number,
            "created_at": iso(post.created_at),
            "edited_at": iso(post.edited_at),
            "deleted_at": iso(post.deleted_at),
            "held": post.is_held,
            "body": post.body,
        }
        for post, thread in rows
    ]


def reactions_given(member: Member) -> list[Row]:
    rows = db.session.execute(
        select(Reaction, Post, Thread)
        .join(Post, Reaction.post_id == Post.id)
        .join(Thread, Post.thread_id == Thread.id)
        .where(Reaction.member_id == member.id)
        .order_by(Reaction.created_at)
    )
    return [
        {
            "post_id": post.id,
            "thread_id": thread.id,
            "thread_title": thread_title(member, thread),
            "kind": reaction.kind,
            "created_at": iso(reaction.created_at),
        }
        for reaction, post, thread in rows
    ]


def poll_votes(member: Member) -> list[Row]:
    rows = db.session.execute(
        select(PollVote, PollOption, Poll, Thread)
        .join(PollOption, PollVote.option_id == PollOption.id)
        .join(Poll, PollVote.poll_id == Poll.id)
        .join(Thread, Poll.thread_id == Thread.id)
        .where(PollVote.member_id == member.id)
        .order_by(PollVote.created_at)
    )
    result = []
    for vote, option, poll, thread in rows:
        visible = thread_title(member, thread) != OUT_OF_SIGHT
        result.append(
            {
                "poll_id": poll.id,
                "thread_id": thread.id,
                "question": poll.question if visible else OUT_OF_SIGHT,
                "option": option.text if visible else OUT_OF_SIGHT,
                "voted_at": iso(vote.created_at),
            }
        )
    return result


def _resource_title(member: Member, resource: Resource) -> str:
    return resource.title if access.can_see_resource(member, resource) else OUT_OF_SIGHT


def library(member: Member) -> list[Row]:
    """Resources they wrote, completed, and the topics they follow, one row each."""
    rows: list[Row] = []
    authored = db.session.scalars(
        select(Resource)
        .join(resource_author, resource_author.c.resource_id == Resource.id)
        .where(resource_author.c.member_id == member.id)
        .order_by(Resource.id)
    )
    rows.extend(
        {
            "activity": "author",
            "resource_id": resource.id,
            "title": _resource_title(member, resource),
            "status": resource.status,
            "at": iso(resource.created_at),
        }
        for resource in authored
    )
    completions = db.session.execute(
        select(Completion, Resource)
        .join(Resource, Completion.resource_id == Resource.id)
        .where(Completion.member_id == member.id)
        .order_by(Completion.created_at)
    )
    rows.extend(
        {
            "activity": "completed",
            "resource_id": resource.id,
            "title": _resource_title(member, resource),
            "status": "",
            "at": iso(completion.created_at),
        }
        for completion, resource in completions
    )
    follows = db.session.execute(
        select(TopicFollow, Topic)
        .join(Topic, TopicFollow.topic_id == Topic.id)
        .where(TopicFollow.member_id == member.id)
        .order_by(Topic.slug)
    )
    rows.extend(
        {
            "activity": "follows topic",
            "resource_id": "",
            "title": topic.name,
            "status": "",
            "at": iso(follow.created_at),
        }
        for follow, topic in follows
    )
    return rows


def rsvps(member: Member) -> list[Row]:
    rows = db.session.execute(
        select(Rsvp, Event)
        .join(Event, Rsvp.event_id == Event.id)
        .where(Rsvp.member_id == member.id)
        .order_by(Rsvp.answered_at)
    )
    return [
        {
            "event_id": event.id,
            "title": event.title if access.can_see_event(member, event) else OUT_OF_SIGHT,
            "answer": rsvp.answer,
            "waitlist_number": rsvp.waitlist_number or "",
            "answered_at": iso(rsvp.answered_at),
        }
        for rsvp, event in rows
    ]


def watches(member: Member) -> list[Row]:
    rows: list[Row] = []
    thread_watches = db.session.execute(
        select(ThreadWatch, Thread)
        .join(Thread, ThreadWatch.thread_id == Thread.id)
        .where(ThreadWatch.member_id == member.id)
        .order_by(Thread.id)
    )
    rows.extend(
        {
            "what": "thread",
            "id": thread.id,
            "title": thread_title(member, thread),
            "level": watch.level,
        }
        for watch, thread in thread_watches
    )
    community_watches = db.session.execute(
        select(CommunityWatch, Community)
        .join(Community, CommunityWatch.community_id == Community.id)
        .where(CommunityWatch.member_id == member.id)
        .order_by(Community.id)
    )
    rows.extend(
        {
            "what": "community",
            "id": community.id,
            "title": community.name
            if access.can_see_community(member, community)
            else OUT_OF_SIGHT,
            "level": watch.level,
        }
        for watch, community in community_watches
    )
    return rows


def notifications(member: Member) -> list[Row]:
    """The ones the notifications page still lists: one about a thread that has moved out of
    reach would quote its title."""
    rows = db.session.scalars(
        select(Notification).where(Notification.member_id == member.id).order_by(Notification.id)
    )
    return [
        {
            "kind": notification.kind,
            "text": notification.text,
            "url": notification.url,
            "count": notification.count,
            "created_at": iso(notification.created_at),
            "read_at": iso(notification.read_at),
        }
        for notification in rows
        if still_visible(member, notification)
    ]


def conversations(member: Member) -> list[Row]:
    places = db.session.scalars(
        select(ConversationMember)
        .where(ConversationMember.member_id == member.id)
        .order_by(ConversationMember.joined_at)
    )
    result = []
    for place in places:
        conversation = place.conversation
        result.append(
            {
                "conversation_id": conversation.id,
                # The subject may be another member's words: theirs to see while they stay.
                "subject": conversation.subject
                if place.left_at is None or conversation.starter_id == member.id
                else OUT_OF_SIGHT,
                "started_by_you": conversation.starter_id == member.id,
                "other_participants": len(conversation.participants) - 1,
                "messages": conversation.message_count,
                "joined_at": iso(place.joined_at),
                "left_at": iso(place.left_at),
                "muted": place.muted,
            }
        )
    return result


def messages(member: Member) -> list[Row]:
    """The member's own messages only: the others' are theirs."""
    rows = db.session.scalars(
        select(Message).where(Message.author_id == member.id).order_by(Message.id)
    )
    return [
        {
            "conversation_id": message.conversation_id,
            "number": message.number,
            "sent_at": iso(message.created_at),
            "body": message.body,
        }
        for message in rows
    ]


def introductions(member: Member) -> list[Row]:
    requests = db.session.scalars(
        select(IntroductionRequest)
        .where(
            or_(
                IntroductionRequest.sender_id == member.id,
                IntroductionRequest.recipient_id == member.id,
            )
        )
        .order_by(IntroductionRequest.id)
    )
    rows = []
    for request in requests:
        sent = request.sender_id == member.id
        rows.append(
            {
                "direction": "sent" if sent else "received",
                "note": request.note if sent else "",
                # A decline is quiet: the sender is told "sent", here as on their pages.
                "status": shown_status(request) if sent else request.status,
                "created_at": iso(request.created_at),
                "conversation_id": request.conversation_id or "",
            }
        )
    return rows
