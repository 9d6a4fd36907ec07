"""Communities hold threads; threads hold numbered posts. Counters are kept on the rows that
lists show, so a list page costs the same few queries however large the forum grows."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, defaultload, mapped_column, relationship

from community.core.clock import utcnow
from community.core.models import CreatedAtMixin, UTCDateTime
from community.extensions import Model

if TYPE_CHECKING:
    from community.members.models import Member, Tier

# The category of the communities that hold library resources' discussions
# (``community/library/discussion.py``): lists show them apart from the subject communities.
LIBRARY_CATEGORY = "Library"


class Community(CreatedAtMixin, Model):
    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(60), index=True)
    min_tier_id: Mapped[int] = mapped_column(ForeignKey("tier.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_chapter: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    thread_count: Mapped[int] = mapped_column(Integer, default=0)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    last_posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The thread that last had a post every reader sees, kept on write for the communities
    # page (use_alter: thread.community_id points back here).
    last_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread.id", ondelete="SET NULL", use_alter=True), nullable=True
    )

    min_tier: Mapped[Tier] = relationship(lazy="joined")
    leads: Mapped[list[Member]] = relationship(secondary="chapter_lead", lazy="selectin")

    @property
    def is_library(self) -> bool:
        return self.category == LIBRARY_CATEGORY


class CommunityActivity(Model):
    """New threads and posts in a community on one day (UTC), counted on write: the
    communities page sums the last seven days without reading a thread or a post. The day
    leads the key, so a week is one range however long the forum has run."""

    __tablename__ = "community_activity"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True
    )
    threads: Mapped[int] = mapped_column(Integer, default=0)
    posts: Mapped[int] = mapped_column(Integer, default=0)


class ChapterLead(Model):
    """A member who moderates one community (a chapter), and no other."""

    __tablename__ = "chapter_lead"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )


class Thread(CreatedAtMixin, Model):
    __tablename__ = "thread"
    __table_args__ = (
        Index("ix_thread_community_activity", "community_id", "last_posted_at"),
        # A member's threads waiting for their response (home, /assigned): one short range,
        # not every thread ever assigned to them.
        Index("ix_thread_assignee_waiting", "assignee_id", "needs_response"),
        # One per sort of a community's thread list (``forum/thread_list.py``): latest
        # activity with pinned threads first, newest, most replies (and the unanswered ones).
        Index("ix_thread_community_pinned_activity", "community_id", "pinned", "last_posted_at"),
        Index("ix_thread_community_created", "community_id", "created_at"),
        Index("ix_thread_community_posts", "community_id", "post_count", "last_posted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    # Posts are numbered 1, 2, ... within a thread; read positions refer to these numbers.
    highest_post_number: Mapped[int] = mapped_column(Integer, default=0)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    last_posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_poster_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A moderator marks a thread as needing a response and names who should give it.
    needs_response: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    # Closed (by its author or a moderator): nobody replies until it is reopened. Unlike a
    # lock, which lets moderators post and which the author cannot undo.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    close_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Held threads (enough flags) show only to their author and the community's moderators.
    held_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set when a moderator reviewed the held thread and kept it hidden: it leaves the flag queue.
    kept_hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set on a library resource's discussion (its current one and any earlier one): the thread
    # is then visible only to those who may see the resource (``community/access/``). use_alter:
    # resource.thread_id points back at the thread.
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource.id", ondelete="SET NULL", use_alter=True), nullable=True, index=True
    )

    community: Mapped[Community] = relationship(lazy="joined", foreign_keys=[community_id])
    assignee: Mapped[Member | None] = relationship(foreign_keys=[assignee_id])
    author: Mapped[Member | None] = relationship(foreign_keys=[author_id])
    last_poster: Mapped[Member | None] = relationship(foreign_keys=[last_poster_id])
    closed_by: Mapped[Member | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_held(self) -> bool:
        return bool(self.held_reason)


class Post(CreatedAtMixin, Model):
    __tablename__ = "post"
    __table_args__ = (
        UniqueConstraint("thread_id", "number"),
        # A member's recent posts and reactions received, on their profile page.
        Index("ix_post_author_created", "author_id", "created_at"),
        # The metrics read the posts of one day or a few (today's, live) out of every post.
        Index("ix_post_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitized once, at save
    # Plain text of the post's start, made from the same parse at save: quotes (and anything
    # else that shows a summary) read it instead of parsing the whole post again.
    excerpt: Mapped[str] = mapped_column(Text, default="", server_default="")
    quoted_post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"), nullable=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revision_count: Mapped[int] = mapped_column(Integer, default=0)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    # Held posts (sales-pitch check, or enough flags) show only to their author and moderators.
    held_reason: Mapped[str] = mapped_column(Text, default="")
    # The version of the sales-pitch rules that held it (``PitchRules``; 0: the built-in set),
    # when the sales-pitch check is what held it.
    pitch_rules_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Set when a moderator reviewed the held post and kept it hidden: it leaves the flag queue.
    kept_hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    thread: Mapped[Thread] = relationship()
    author: Mapped[Member | None] = relationship(foreign_keys=[author_id])
    quoted_post: Mapped[Post | None] = relationship(remote_side=[id])

    @property
    def is_held(self) -> bool:
        return bool(self.held_reason)


class PostImage(CreatedAtMixin, Model):
    """A picture pasted or dropped into the composer, re-encoded and stored under
    ``instance/post-images/<key>.<extension>``.

    It is its uploader's alone until a post of theirs shows it (``post_id``, set once, by the
    first such post); from then on whoever may see that post may see the picture."""

    __tablename__ = "post_image"
    __table_args__ = (
        # The uploads-an-hour limit counts a member's latest uploads.
        Index("ix_post_image_uploader_created", "uploader_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    extension: Mapped[str] = mapped_column(String(4))
    uploader_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="SET NULL"), nullable=True, index=True
    )
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)  # bytes stored

    post: Mapped[Post | None] = relationship()

    @property
    def file_name(self) -> str:
        return f"{self.key}.{self.extension}"


class ThreadParticipant(Model):
    """A member with a post that readers see in a thread (neither held nor deleted), kept on
    write beside the thread's counters: a list shows each thread's participants, and filters
    the threads a member took part in, from a few rows by index instead of scanning posts."""

    __tablename__ = "thread_participant"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member] = relationship()


class PostRevision(CreatedAtMixin, Model):
    """The text a post had before an edit; moderators read the history."""

    __tablename__ = "post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), nullable=True)

    editor: Mapped[Member | None] = relationship()


class ReactionKind(StrEnum):
    LIKE = "like"
    INSIGHTFUL = "insightful"

    @property
    def label(self) -> str:
        return {"like": "Like", "insightful": "Insightful"}[self.value]


class Reaction(CreatedAtMixin, Model):
    __tablename__ = "reaction"
    # The metrics read the reactions of one day or a few (today's, live).
    __table_args__ = (Index("ix_reaction_created", "created_at"),)

    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)

    member: Mapped[Member] = relationship()


class Mention(Model):
    __tablename__ = "mention"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )


class ReadPosition(Model):
    """The highest post number a member has seen in a thread."""

    __tablename__ = "read_position"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    last_read_number: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Poll(CreatedAtMixin, Model):
    """A question put to the thread's readers: one vote per member, results after voting."""

    __tablename__ = "poll"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"), unique=True)
    question: Mapped[str] = mapped_column(String(300))
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    options: Mapped[list[PollOption]] = relationship(
        order_by="PollOption.position", lazy="selectin", cascade="all, delete-orphan"
    )


class PollOption(Model):
    __tablename__ = "poll_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)


class PollVote(CreatedAtMixin, Model):
    __tablename__ = "poll_vote"

    option_id: Mapped[int] = mapped_column(
        ForeignKey("poll_option.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    poll_id: Mapped[int] = mapped_column(ForeignKey("poll.id", ondelete="CASCADE"), index=True)


class PollBallot(CreatedAtMixin, Model):
    """A member's one ballot in a poll. Its primary key is what stops two concurrent votes
    by the same member (a double submit, two tabs) from both being stored."""

    __tablename__ = "poll_ballot"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class WatchLevel(StrEnum):
    WATCHING = "watching"  # told about every new post
    TRACKING = "tracking"  # unread counts only (the default)
    MUTED = "muted"  # left out of unread counts and "what's new"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ThreadWatch(Model):
    __tablename__ = "thread_watch"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    level: Mapped[str] = mapped_column(String(20))


class CommunityWatch(Model):
    __tablename__ = "community_watch"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    level: Mapped[str] = mapped_column(String(20))


# --- Tracking: each member's unread state, kept up to date on write (``forum/tracking.py``) ---


class UnreadThread(Model):
    """A thread with posts this member has not read: one row per (member, thread) while any
    are unread, deleted once none are. "What's new" reads a member's newest rows by the
    (member, last_posted_at) index, so it costs the same at 50 threads or 50,000."""

    __tablename__ = "unread_thread"
    __table_args__ = (
        Index("ix_unread_thread_member_activity", "member_id", "last_posted_at"),
        Index("ix_unread_thread_thread_id", "thread_id"),
        # Home lists the newest subject threads and counts the library discussions apart:
        # each is one range of this index, however many of the other kind are unread.
        Index("ix_unread_thread_member_library", "member_id", "in_library", "last_posted_at"),
    )

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True
    )
    # Copied from the thread, so the member's unread counts per community and their newest
    # threads come from this table alone; a moved thread's rows are rewritten.
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    last_posted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unread: Mapped[int] = mapped_column(Integer)
    # Copied from the community (``Community.is_library``) with the row.
    in_library: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The thread's highest post number when ``unread`` was last counted: a new post adds only
    # the posts above it, so running the same post's update twice counts nothing twice.
    counted_up_to: Mapped[int] = mapped_column(Integer)


class UnreadCommunity(Model):
    """The member's unread posts in one community: the sum of their ``UnreadThread`` rows
    there, kept beside them so the communities index reads one row per community."""

    __tablename__ = "unread_community"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True
    )
    unread: Mapped[int] = mapped_column(Integer)


class TrackingBuilt(Model):
    """The member's unread state is built and kept up to date. No row: it is stale (a new
    member, a changed tier, a community whose audience changed) and the next page that needs
    it rebuilds it from the threads, once."""

    __tablename__ = "tracking_built"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PitchRules(CreatedAtMixin, Model):
    """One version of the sales-pitch check's phrase lists and threshold, saved by an owner.
    Rows are never edited: a change adds one; the newest is in force (none: the built-in set,
    version 0)."""

    __tablename__ = "pitch_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    pricing_phrases: Mapped[list[str]] = mapped_column(JSON)
    call_to_sales_phrases: Mapped[list[str]] = mapped_column(JSON)
    threshold: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )

    created_by: Mapped[Member | None] = relationship()


def listed_thread_community() -> Any:
    """A loader option for lists that show a thread's community by name only: the community
    comes with the thread as usual, but not its chapter leads (read for moderation powers),
    whose query a list of threads on the home page does not need. Read anyway, they load
    then, in one query. (A function: built at import, it would configure the mappers before
    every model is defined.)"""
    return defaultload(Thread.community).lazyload(Community.leads)
