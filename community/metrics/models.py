"""One row per recorded action, and the daily rollups the owners' reports read."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from community.core.models import CreatedAtMixin, UTCDateTime
from community.extensions import Model


class MetricEvent(CreatedAtMixin, Model):
    """An activity event: who did what to which object, in which community, when. Pruned
    after ``METRICS_RETENTION_DAYS``; the daily rollups outlive it."""

    __tablename__ = "metric_event"
    __table_args__ = (
        Index("ix_metric_event_object", "object_type", "object_id", "action"),
        # "Unique per member per day" is a lookup on this index before the insert.
        Index(
            "ix_metric_event_member_day", "member_id", "action", "object_type", "object_id", "day"
        ),
        # Rollups and reports read one day (or a period) at a time.
        Index("ix_metric_event_day_action", "day", "action"),
        # Reports of one rare action over a period (searches, RSVPs) read only its rows,
        # not every event of the period's days.
        Index("ix_metric_event_action_day", "action", "day", "quantity"),
        # The library and events reports read one kind of object over a period; the index
        # holds every column they read, so they never visit the table (3x on the bench).
        Index("ix_metric_event_type_day", "object_type", "day", "action", "object_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )
    action: Mapped[str] = mapped_column(String(30))  # "view", "download", "complete", "rsvp", ...
    object_type: Mapped[str] = mapped_column(String(30))  # "resource", "event", "thread", ...
    object_id: Mapped[int] = mapped_column(Integer)
    # The community the object belongs to (a thread's, a post's), None when it has none.
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("community.id", ondelete="SET NULL"), nullable=True
    )
    day: Mapped[date] = mapped_column(Date)  # the UTC day, for per-day uniqueness and charts
    # What the action was about beyond one object: a search's words and its number of results.
    detail: Mapped[str] = mapped_column(String(200), default="", server_default="")
    quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)


# For inserting many events at once: the ORM's bulk INSERT leaves out the keys whose value is
# None, so rows with and without a community or quantity go in as separate statements (the
# demo's 12,000 events took 5,000); the table's INSERT sends them all in one executemany.
# (None is NULL either way: those columns have no default.)
METRIC_EVENT_TABLE = MetricEvent.metadata.tables["metric_event"]


class MemberDay(Model):
    """Rollup: what one member did on one UTC day (a row exists only if they came at all).
    Active members, participation and 90-9-1 are counted from these rows."""

    __tablename__ = "metric_member_day"
    __table_args__ = (
        # "New contributors": each member's first day with a post, read off this small index
        # (the days they posted) instead of every day they ever came.
        Index(
            "ix_metric_member_day_contributed",
            "member_id",
            "day",
            postgresql_where=text("threads + replies > 0"),
            sqlite_where=text("threads + replies > 0"),
        ),
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    views: Mapped[int] = mapped_column(Integer, default=0)
    threads: Mapped[int] = mapped_column(Integer, default=0)  # threads started
    replies: Mapped[int] = mapped_column(Integer, default=0)
    reactions: Mapped[int] = mapped_column(Integer, default=0)


class ObjectDay(Model):
    """Rollup: one object's views (members who opened it that day), downloads and replies."""

    __tablename__ = "metric_object_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    object_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    object_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    downloads: Mapped[int] = mapped_column(Integer, default=0)


class CommunityDay(Model):
    """Rollup: one community's posts of one UTC day, their sentiment mix (VADER, computed
    offline by the rollup job; only ever shown summed over a community, never per post) and
    the views of its threads (its health's "reading", without reading every thread's rows)."""

    __tablename__ = "metric_community_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("community.id", ondelete="CASCADE"), primary_key=True
    )
    posts: Mapped[int] = mapped_column(Integer, default=0)
    positive: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    negative: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)  # members' views of its threads


class TermDay(Model):
    """Rollup: in how many of one UTC day's posts a word appears (trending terms)."""

    __tablename__ = "metric_term_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    term: Mapped[str] = mapped_column(String(30), primary_key=True)
    posts: Mapped[int] = mapped_column(Integer, default=0)


class SiteDay(Model):
    """Rollup: the whole council on one UTC day, counted from that day's ``MemberDay`` rows and
    the days before it: members who came, members who came in the 7 and the 30 days ending
    that day (distinct counts, which no sum of days can give), and what they posted. The
    active-members and participation charts read one row a day instead of every member's."""

    __tablename__ = "metric_site_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    members: Mapped[int] = mapped_column(Integer, default=0)
    members_week: Mapped[int] = mapped_column(Integer, default=0)
    members_month: Mapped[int] = mapped_column(Integer, default=0)
    threads: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    posters: Mapped[int] = mapped_column(Integer, default=0)


class MemberSpan(Model):
    """Precomputed: what one member did over a span of finished days (the sums of their
    ``MemberDay`` rows from ``first`` to ``last``). The job keeps the spans the dashboard asks
    for most (each preset period ending yesterday, the one before it, each month of the
    retention table), so "distinct members over 90 days" reads at most one row per member
    rather than one per member per day. Rolling up a day drops the spans that contain it."""

    __tablename__ = "metric_member_span"

    first: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[date] = mapped_column(Date, primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    views: Mapped[int] = mapped_column(Integer, default=0)
    threads: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    reactions: Mapped[int] = mapped_column(Integer, default=0)


class ObjectSpan(Model):
    """Precomputed: one object's ``ObjectDay`` sums over a span of finished days, kept for the
    same spans as ``MemberSpan`` (the top content of 90 days reads one row per object instead
    of one per object per day). Views and downloads add up across days, so a span plus
    today's live rows is exact. Rolling up a day drops the spans that contain it."""

    __tablename__ = "metric_object_span"

    first: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[date] = mapped_column(Date, primary_key=True)
    object_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    object_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0)
    downloads: Mapped[int] = mapped_column(Integer, default=0)


class PosterDay(Model):
    """Rollup: how many posts (not deleted) one member wrote in one thread on one UTC day.
    Health's posts and posters and the cross-company conversations read these narrow rows
    instead of every post of their periods. The community is the thread's, read with the
    report, so a thread moved since counts where it is now."""

    __tablename__ = "metric_poster_day"
    __table_args__ = (
        # The reports read a range of days, and only these columns: the index answers alone.
        Index("ix_metric_poster_day_day", "day", "thread_id", "author_id", "posts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    # None for posts whose author is gone: they count as posts, not as a poster.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), nullable=True
    )
    posts: Mapped[int] = mapped_column(Integer, default=0)


class ThreadReply(Model):
    """Rollup: when a thread got its first reply from someone other than its author (a row
    only for answered threads). Kept for the threads a rolled-up day started, replied to
    or deleted a post of, so responsiveness and health never group every post ever."""

    __tablename__ = "metric_thread_reply"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True
    )
    first_reply_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RolledDay(Model):
    """A finished UTC day whose ``PosterDay`` rows were computed after it ended. A day
    without a row (today, a day before the tables existed, a day the job missed) is read
    from the posts themselves, so the reports are right whether or not the job has run."""

    __tablename__ = "metric_rolled_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)


class ReactionDay(Model):
    """Rollup: reactions given on one UTC day to the posts of one thread (health's
    interactivity). Taking a reaction back un-marks the day it was given (``RolledDay``),
    which is read from the reactions themselves until the job rolls it up again."""

    __tablename__ = "metric_reaction_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True
    )
    reactions: Mapped[int] = mapped_column(Integer, default=0)
