"""The checks every post passes before it is saved, new or edited: length, posting rates, the
new-member link limit and the sales-pitch hold. Counts come from the database, so the limits
hold across app processes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from community import access
from community.core.clock import utcnow
from community.core.cpu import run_off_event_loop
from community.core.errors import DomainError, RateLimited
from community.core.links import find_bare_urls
from community.extensions import db
from community.forum.markdown import ParsedPost
from community.forum.markup_budget import MAX_WEIGHT, markup_weight
from community.forum.models import Post, Thread
from community.forum.pitch_rules import get_current_rules
from community.forum.sales_pitch import PostContext, assess
from community.members.models import Member

MAX_TITLE = 200
MAX_BODY = 20_000
RECENT_TEXTS_COMPARED = 5  # a post is checked against the author's latest posts
MODERATOR_RATE_FACTOR = 2  # moderators answer a lot at once: they get twice the per-minute limit


def check_text(title: str | None, body: str) -> None:
    if title is not None:
        if not title.strip():
            raise DomainError("Give the thread a title.", field="title")
        if len(title) > MAX_TITLE:
            raise DomainError(f"Keep the title under {MAX_TITLE} characters.", field="title")
    if not body.strip():
        raise DomainError("Write something first.", field="body")
    if len(body) > MAX_BODY:
        raise DomainError(f"Keep posts under {MAX_BODY:,} characters.", field="body")
    # Checked before the post is parsed, so an absurd one never costs the server its parse.
    weight = markup_weight(body)
    if weight > MAX_WEIGHT:
        raise DomainError(
            "This post has too much formatting to publish: brackets, asterisks, underscores, "
            "backticks and other marks, and lines, outside code blocks "
            f"(weight {weight:,}; the limit is {MAX_WEIGHT:,}). Put code between ``` lines, "
            "where it does not count, or split the post in two.",
            field="body",
        )


def is_new_member(member: Member) -> bool:
    return member.created_at > utcnow() - timedelta(days=current_app.config["NEW_MEMBER_DAYS"])


def _seconds_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - utcnow()).total_seconds()))


def _check_rate(member: Member, limit: int, window: timedelta, message: str) -> None:
    """Refuse a post when ``limit`` posts already fall in the last ``window``; the refusal says
    how long until the oldest of them leaves the window and frees a slot."""
    since = utcnow() - window
    recent = db.session.scalars(
        select(Post.created_at)
        .where(Post.author_id == member.id, Post.created_at >= since)
        .order_by(Post.created_at.desc())
        .limit(limit)
    ).all()
    if len(recent) >= limit:
        raise RateLimited(message, retry_after=_seconds_until(recent[-1] + window))


def check_posting_rate(member: Member, new_thread: bool) -> None:
    """Every member has a per-minute limit; new members also an hourly one and a first-day
    limit on threads. Limits are settings."""
    config = current_app.config
    per_minute = config["POSTS_PER_MINUTE"]
    if access.is_moderator(member):
        per_minute *= MODERATOR_RATE_FACTOR
    _check_rate(
        member,
        per_minute,
        timedelta(minutes=1),
        f"You can post {per_minute} times a minute. Your text is kept below; "
        "post it again in a moment.",
    )
    if not is_new_member(member) or access.is_moderator(member):
        return
    per_hour = config["NEW_MEMBER_POSTS_PER_HOUR"]
    _check_rate(
        member,
        per_hour,
        timedelta(hours=1),
        f"New members can post {per_hour} times an hour. "
        "Your text is kept below; try again a little later.",
    )
    first_day_ends = member.created_at + timedelta(days=1)
    if new_thread and first_day_ends > utcnow():
        threads = db.session.scalar(
            select(func.count(Thread.id)).where(Thread.author_id == member.id)
        )
        if threads >= config["NEW_MEMBER_THREADS_FIRST_DAY"]:
            raise RateLimited(
                f"On their first day, members can start {config['NEW_MEMBER_THREADS_FIRST_DAY']} "
                "threads. Your text is kept below; post it tomorrow or as a reply.",
                retry_after=_seconds_until(first_day_ends),
            )


def check_new_member_links(member: Member, parsed: ParsedPost) -> None:
    """New members are limited while the council gets to know them, in new posts and edits."""
    if not is_new_member(member) or access.is_moderator(member):
        return
    allowed = current_app.config["NEW_MEMBER_LINKS_PER_POST"]
    if len(parsed.links) > allowed:
        raise DomainError(
            f"New members can include up to {allowed} links per post during their first "
            "days. Remove some links and post again.",
            field="body",
        )


@dataclass(frozen=True)
class PitchVerdict:
    """Why a post is held ("" when it is not) and the rules version that judged it."""

    held_reason: str
    rules_version: int | None


def pitch_check(
    author: Member, parsed: ParsedPost, body: str, title: str = "", editing: Post | None = None
) -> PitchVerdict:
    """The sales-pitch check under the rules in force, explained.
    ``editing``: the post being edited, left out of the recent posts it is compared with."""
    query = select(Post.body).where(Post.author_id == author.id)
    if editing is not None:
        query = query.where(Post.id != editing.id)
    recent = tuple(
        db.session.scalars(query.order_by(Post.created_at.desc()).limit(RECENT_TEXTS_COMPARED))
    )
    title_text = f"{title}\n\n" if title else ""  # a title is plain text, never Markdown
    rules = get_current_rules()
    assessment = run_off_event_loop(
        assess,
        PostContext(
            text=title_text + body,
            author_email_domain=author.email.rsplit("@", 1)[-1],
            author_company=author.company,
            author_is_new=is_new_member(author),
            recent_texts=recent,
            links=(*find_bare_urls(title), *parsed.links),
            prose=title_text + parsed.prose,
        ),
        None,  # the threshold: the rules' own
        rules,
    )
    if not assessment.held:
        return PitchVerdict("", None)
    return PitchVerdict(assessment.summary(), rules.version)
