"""Threads and posts: writing, editing, reacting, reading. Every read goes through the access
module; every write commits once and publishes its event after the commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import defer, joinedload, load_only

from community import access
from community.core.clock import utcnow
from community.core.cpu import run_off_event_loop
from community.core.domain_events import (
    MemberMentioned,
    PostChanged,
    PostCreated,
    PostDeleted,
    PostEdited,
    ThreadCreated,
)
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit, publish
from community.core.pagination import Page, page_count, paginate
from community.core.text import single_line
from community.extensions import db
from community.forum import tracking
from community.forum.activity import record_post_hidden, record_post_shown, record_visible_post
from community.forum.markdown import ParsedPost, excerpt, parse_post
from community.forum.markup_budget import MAX_WEIGHT, markup_weight
from community.forum.models import (
    Community,
    Mention,
    Post,
    PostRevision,
    Reaction,
    ReadPosition,
    Thread,
)
from community.forum.participants import (
    forget_last_post_if_gone,
    forget_participant_if_gone,
    note_last_post,
    note_participant,
)
from community.forum.polls import PollDraft, add_poll, check_poll_draft
from community.forum.post_images import claim_images
from community.forum.posting import (
    check_new_member_links,
    check_posting_rate,
    check_text,
    pitch_check,
)
from community.forum.watching import watch_after_posting
from community.members.models import Member

POSTS_PER_PAGE = 20
EXCERPT_LENGTH = 600  # stored with each post: enough for a quote
LEGACY_EXCERPT_SOURCE = 4 * EXCERPT_LENGTH  # how much of an older post's text makes its excerpt


# --- Reading -------------------------------------------------------------------------------


def get_excerpt(post: Post) -> str:
    """The post's excerpt, stored when it was saved. Posts saved before excerpts were stored
    get one made from the start of their text only, so a quote never parses a whole post."""
    if post.excerpt:
        return post.excerpt
    source = post.body[:LEGACY_EXCERPT_SOURCE]
    # A post saved before the formatting limit may be nothing but marks: 2,400 "[" took 56 ms
    # to parse, all of it on the event loop. Shorter until it is within the limit (~15 ms).
    while markup_weight(source) > MAX_WEIGHT:
        source = source[: len(source) // 2]
    return run_off_event_loop(excerpt, source, EXCERPT_LENGTH)


@dataclass(frozen=True)
class ThreadPage:
    thread: Thread
    posts: Page[Post]
    reactions: dict[int, dict[str, list[str]]]  # post id -> kind -> names of who reacted
    mine: set[tuple[int, str]]  # (post id, kind) the viewer has reacted with
    powers: access.ThreadPowers
    post_powers: dict[int, access.PostPowers]  # post id -> what the viewer may do with it
    first_unread: int | None
    last_read: int  # the number of the last post the member had read before this page

    @property
    def moves_read_position(self) -> bool:
        """Whether showing this page moves the member's read position forward (a page they
        had read already needs no write)."""
        return any(post.number > self.last_read for post in self.posts.items)


@dataclass(frozen=True)
class _ReadingState:
    own_held: int  # the member's own held posts, which they see and the counters leave out
    last_read: int
    first_unread: int | None  # the first post after ``last_read`` that someone else wrote


def _reading_state(member: Member, thread: Thread, moderate: bool) -> _ReadingState:
    """Where the member stands in the thread, in one SELECT of three subqueries (the page
    asked three queries for it). Your own posts are never news to you: a thread you just
    started has nothing unread."""
    last_read = (
        select(ReadPosition.last_read_number)
        .where(ReadPosition.member_id == member.id, ReadPosition.thread_id == thread.id)
        .scalar_subquery()
    )
    own_held = (
        select(func.count(Post.id))
        .where(
            Post.author_id == member.id,
            Post.thread_id == thread.id,
            Post.held_reason != "",
            Post.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    first_unread = (
        select(func.min(Post.number))
        .where(
            Post.thread_id == thread.id,
            Post.number > func.coalesce(last_read, 0),
            or_(Post.author_id.is_(None), Post.author_id != member.id),
            access.visible_posts_filter(member, moderate),
        )
        .scalar_subquery()
    )
    row = db.session.execute(select(own_held, last_read, first_unread)).one()
    return _ReadingState(own_held=row[0] or 0, last_read=row[1] or 0, first_unread=row[2])


def get_thread_page(member: Member, thread_id: int, page: int = 1) -> ThreadPage:
    """A page of the thread's posts with everything the page shows, the member's powers on
    the thread and on each post included (decided once here, read by the template)."""
    thread = access.get_visible_thread(member, thread_id)
    powers = access.thread_powers(member, thread)
    query = (
        select(Post)
        .where(Post.thread_id == thread.id, access.visible_posts_filter(member, powers.moderate))
        # The source text and the excerpt are for editing and quoting, not for this page; a
        # quoted post is loaded (by its id, usually from this page) only when the post list
        # is rendered, not when it comes from the cache (``forum/post_list.py``).
        .options(joinedload(Post.author), defer(Post.body), defer(Post.excerpt))
        .order_by(Post.number)
    )
    reading = _reading_state(member, thread, powers.moderate)
    # Moderators see every post ever numbered (posts are never removed, only marked deleted
    # or held), members the shown ones and their own held posts: a count from the thread's
    # counters rather than a COUNT over its posts.
    total = thread.highest_post_number if powers.moderate else thread.post_count + reading.own_held
    posts = paginate(query, page, POSTS_PER_PAGE, total)
    post_powers = {post.id: access.post_powers(member, post, powers) for post in posts.items}
    reactions: dict[int, dict[str, list[str]]] = {}
    mine: set[tuple[int, str]] = set()
    if posts.items:
        rows = db.session.execute(
            select(Reaction.post_id, Reaction.kind, Reaction.member_id, Member.name)
            .join(Member, Member.id == Reaction.member_id)
            .where(Reaction.post_id.in_([post.id for post in posts.items]))
            .order_by(Reaction.created_at)
        )
        for post_id, kind, member_id, name in rows:
            reactions.setdefault(post_id, {}).setdefault(kind, []).append(name)
            if member_id == member.id:
                mine.add((post_id, kind))
    return ThreadPage(
        thread,
        posts,
        reactions,
        mine,
        powers,
        post_powers,
        reading.first_unread,
        reading.last_read,
    )


def load_quoted_posts(posts: list[Post]) -> None:
    """Load, in one query, the posts that ``posts`` quote and that are not among them, so the
    post list reads each ``quoted_post`` from the session instead of one query per quote."""
    shown = {post.id for post in posts}
    missing = {post.quoted_post_id for post in posts if post.quoted_post_id} - shown
    if missing:
        db.session.scalars(
            select(Post)
            .where(Post.id.in_(missing))
            .options(load_only(Post.id, Post.thread_id, Post.number))
        ).all()


def page_of_post_number(member: Member, thread: Thread, number: int) -> int:
    """The page of the thread that shows post ``number`` to this member."""
    moderator = access.can_moderate_community(member, thread.community)
    query = select(func.count(Post.id)).where(
        Post.thread_id == thread.id,
        Post.number < number,
        access.visible_posts_filter(member, moderator),
    )
    before = db.session.scalar(query) or 0
    return min(before // POSTS_PER_PAGE + 1, page_count(thread.post_count, POSTS_PER_PAGE))


def get_last_post_number(member: Member, thread: Thread) -> int:
    """The number of the thread's last post this member can see (its first, failing any)."""
    moderator = access.can_moderate_community(member, thread.community)
    query = select(func.max(Post.number)).where(
        Post.thread_id == thread.id, access.visible_posts_filter(member, moderator)
    )
    return db.session.scalar(query) or 1


def mark_read(member: Member, thread: Thread, up_to_number: int) -> None:
    """Move the member's read position forward (never back), and their unread counts with it."""
    up_to = min(up_to_number, thread.highest_post_number)
    position = db.session.get(ReadPosition, (member.id, thread.id))
    if position is None:
        db.session.add(
            ReadPosition(member_id=member.id, thread_id=thread.id, last_read_number=up_to)
        )
    elif position.last_read_number < up_to:
        position.last_read_number = up_to
        position.updated_at = utcnow()
    else:
        return
    tracking.forget_read(member, thread, up_to)
    commit()


# --- Writing -------------------------------------------------------------------------------


def _add_post(
    member: Member,
    thread: Thread,
    body: str,
    held_reason: str,
    quoted: Post | None = None,
    parsed: ParsedPost | None = None,
) -> Post:
    now = utcnow()
    # Number the post with an atomic increment, so concurrent replies never share a number.
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(highest_post_number=Thread.highest_post_number + 1)
    )
    db.session.refresh(thread, ["highest_post_number"])
    watch_after_posting(member, thread)  # after the increment: its row lock serializes this
    parsed = parsed or parse_post(body)
    post = Post(
        thread=thread,
        number=thread.highest_post_number,
        author=member,
        body=body,
        body_html=parsed.html,
        excerpt=parsed.excerpt(EXCERPT_LENGTH),
        quoted_post=quoted,
        held_reason=held_reason,
        created_at=now,
    )
    db.session.add(post)
    if not held_reason:
        thread.post_count += 1
        thread.last_posted_at = now
        thread.last_poster = member
        thread.community.post_count += 1
        thread.community.last_posted_at = now
    db.session.flush()
    if not held_reason:
        record_visible_post(thread.community, thread, new_thread=thread.highest_post_number == 1)
        note_participant(post, now)
    _record_mentions(member, post, thread, parsed.mentions)
    claim_images(member, post, parsed.images)
    return post


def _record_mentions(author: Member, post: Post, thread: Thread, handles: tuple[str, ...]) -> None:
    if not handles:
        return
    members = db.session.scalars(select(Member).where(Member.handle.in_(handles)))
    for mentioned in members:
        if mentioned.id == author.id:
            continue
        db.session.add(Mention(post_id=post.id, member_id=mentioned.id))
        # Only members who can open the thread are told; the stored mention is kept either way.
        if mentioned.is_active and access.can_see_thread(mentioned, thread):
            publish(MemberMentioned(post_id=post.id, member_id=mentioned.id))


def create_thread(
    member: Member, community: Community, title: str, body: str, poll: PollDraft | None = None
) -> Thread:
    """Start a thread in a community the member can see; its first post is checked like any,
    and it may carry a poll."""
    if not access.can_see_community(member, community):
        raise NotFound("There is no such community.")
    title = single_line(title)
    check_text(title, body)
    if poll is not None:
        check_poll_draft(poll)
    check_posting_rate(member, new_thread=True)
    # Parsed once: the HTML, mentions, links and checks all come from it.
    parsed = run_off_event_loop(parse_post, body)
    check_new_member_links(member, parsed)
    now = utcnow()
    thread = Thread(
        community=community,
        author=member,
        title=title,
        last_posted_at=now,
        last_poster=member,
    )
    db.session.add(thread)
    db.session.flush()
    verdict = pitch_check(member, parsed, body, title=title)
    post = _add_post(member, thread, body, verdict.held_reason, parsed=parsed)
    post.pitch_rules_version = verdict.rules_version
    community.thread_count += 1
    if poll is not None:
        add_poll(thread, poll)
    publish(ThreadCreated(thread_id=thread.id, post_id=post.id))
    publish(PostCreated(post_id=post.id))
    commit()
    return thread


def reply(member: Member, thread_id: int, body: str, quoted_post_id: int | None = None) -> Post:
    thread = access.get_visible_thread(member, thread_id)
    access.check_can_reply(member, thread)
    check_text(None, body)
    check_posting_rate(member, new_thread=False)
    parsed = run_off_event_loop(parse_post, body)
    check_new_member_links(member, parsed)
    quoted = None
    if quoted_post_id is not None:
        quoted = access.get_visible_post(member, quoted_post_id)
        # A quote copies text: it may only travel to a place no wider than where it came from.
        source, target = quoted.thread.community.min_tier, thread.community.min_tier
        if not access.no_wider_audience(source, target):
            raise DomainError("That post cannot be quoted in a community with a wider audience.")
    verdict = pitch_check(member, parsed, body)
    post = _add_post(member, thread, body, verdict.held_reason, quoted, parsed)
    post.pitch_rules_version = verdict.rules_version
    if thread.needs_response and thread.assignee_id == member.id and not post.is_held:
        thread.needs_response = False  # the assignee answered
    publish(PostCreated(post_id=post.id))
    commit()
    mark_read(member, thread, post.number)
    return post


def edit_post(member: Member, post_id: int, body: str) -> Post:
    """Change a post's text, keeping the previous text as a revision.

    An author's edit passes the same checks as a new post: a new member cannot add links
    beyond their limit, and an edit that turns the post into a pitch is held for review (a
    moderator's edit of someone else's post is trusted)."""
    post = access.get_visible_post(member, post_id)
    if not access.can_edit_post(member, post):
        raise PermissionDenied("This post can no longer be edited.")
    check_text(None, body)
    if body == post.body:
        return post
    parsed = run_off_event_loop(parse_post, body)
    if post.author_id == member.id:
        check_new_member_links(member, parsed)
        verdict = pitch_check(member, parsed, body, editing=post)
        if verdict.held_reason and post.deleted_at is None:
            hold_post(post, verdict.held_reason)
            post.pitch_rules_version = verdict.rules_version
    db.session.add(PostRevision(post_id=post.id, body=post.body, editor=member))
    post.body = body
    post.body_html = parsed.html
    post.excerpt = parsed.excerpt(EXCERPT_LENGTH)
    post.edited_at = utcnow()
    post.revision_count += 1
    claim_images(member, post, parsed.images)
    publish(PostEdited(post_id=post.id, editor_id=member.id))
    commit()
    return post


def get_revisions(member: Member, post_id: int) -> list[PostRevision]:
    post = access.get_visible_post(member, post_id)
    if not access.can_see_revisions(member, post):
        raise PermissionDenied("Revision history is for moderators.")
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.created_at.desc())
        )
    )


def soft_delete(post: Post, actor: Member) -> None:
    """Mark deleted (the text stays for moderators); lists stop counting it. Caller commits."""
    if not post.is_held:
        post.thread.post_count -= 1
        post.thread.community.post_count -= 1
        record_post_hidden(post)
    post.deleted_at = utcnow()
    post.deleted_by_id = actor.id
    forget_participant_if_gone(post)
    forget_last_post_if_gone(post)
    publish(PostChanged(post_id=post.id))


def delete_post(member: Member, post_id: int) -> Post:
    """Soft delete by the author or a moderator; the text stays for moderators."""
    post = access.get_visible_post(member, post_id)
    if post.deleted_at is not None:
        return post  # a second click on "Delete" (or a second tab): already done
    if not access.can_delete_post(member, post):
        raise PermissionDenied("Only the author or a moderator can delete this post.")
    soft_delete(post, member)
    publish(PostDeleted(post_id=post.id, actor_id=member.id))
    commit()
    return post


def hold_post(post: Post, reason: str, reviewed: bool = False) -> None:
    """Hide a post until a moderator reviews it (``reviewed``: a moderator just did, and keeps
    it hidden); lists stop counting it. Caller commits."""
    if not post.is_held and post.deleted_at is None:
        post.thread.post_count -= 1
        post.thread.community.post_count -= 1
        record_post_hidden(post)
    post.held_reason = reason
    post.kept_hidden_at = utcnow() if reviewed else None
    forget_participant_if_gone(post)
    forget_last_post_if_gone(post)
    publish(PostChanged(post_id=post.id))


def release_post(post: Post) -> None:
    """Show a held post again. Caller commits."""
    if post.is_held and post.deleted_at is None:
        post.thread.post_count += 1
        post.thread.community.post_count += 1
        record_post_shown(post)
    post.held_reason = ""
    post.kept_hidden_at = None
    if post.deleted_at is None:
        note_participant(post, post.created_at)
        note_last_post(post)
    publish(PostChanged(post_id=post.id))
