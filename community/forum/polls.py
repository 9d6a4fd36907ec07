"""Polls in threads: the council settles questions by discussing, then voting."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community import access
from community.core.clock import utcnow
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit
from community.extensions import db
from community.forum.models import Poll, PollBallot, PollOption, PollVote, Thread
from community.members.models import Member

MIN_OPTIONS, MAX_OPTIONS = 2, 10


@dataclass(frozen=True)
class PollDraft:
    question: str
    options: list[str]
    multiple: bool = False


def check_poll_draft(draft: PollDraft) -> list[str]:
    """The cleaned options, or a DomainError naming the field at fault."""
    if not draft.question.strip() or len(draft.question) > 300:
        raise DomainError("Ask the poll's question (up to 300 characters).", field="poll_question")
    options = [option.strip() for option in draft.options if option.strip()]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise DomainError(
            f"Give {MIN_OPTIONS} to {MAX_OPTIONS} options, one per line.", field="poll_options"
        )
    if len({option.lower() for option in options}) != len(options):
        raise DomainError("Each option must be different.", field="poll_options")
    if any(len(option) > 200 for option in options):
        raise DomainError("Keep each option under 200 characters.", field="poll_options")
    return options


def add_poll(thread: Thread, draft: PollDraft) -> Poll:
    """Attach a poll to a new thread, inside the caller's unit of work."""
    options = check_poll_draft(draft)
    poll = Poll(thread_id=thread.id, question=draft.question.strip(), multiple=draft.multiple)
    poll.options = [PollOption(text=text, position=n) for n, text in enumerate(options)]
    db.session.add(poll)
    return poll


@dataclass(frozen=True)
class PollView:
    poll: Poll
    counts: dict[int, int]  # option id -> votes
    voters: int
    my_votes: set[int]

    @property
    def show_results(self) -> bool:
        return bool(self.my_votes) or self.poll.closed_at is not None


def get_poll_view(member: Member, thread: Thread) -> PollView | None:
    poll = db.session.scalars(select(Poll).where(Poll.thread_id == thread.id)).first()
    if poll is None:
        return None
    counts = dict(
        db.session.execute(
            select(PollVote.option_id, func.count())
            .where(PollVote.poll_id == poll.id)
            .group_by(PollVote.option_id)
        ).all()
    )
    voters = db.session.scalar(
        select(func.count(func.distinct(PollVote.member_id))).where(PollVote.poll_id == poll.id)
    )
    mine = set(
        db.session.scalars(
            select(PollVote.option_id).where(
                PollVote.poll_id == poll.id, PollVote.member_id == member.id
            )
        )
    )
    return PollView(poll, counts, voters or 0, mine)


def vote(member: Member, thread_id: int, option_ids: list[int]) -> None:
    """Cast the member's one vote: one option, or several when the poll allows it."""
    thread = access.get_visible_thread(member, thread_id)
    poll = db.session.scalars(select(Poll).where(Poll.thread_id == thread.id)).first()
    if poll is None:
        raise NotFound("This thread has no poll.")
    if poll.closed_at is not None:
        raise DomainError("This poll is closed.")
    valid = {option.id for option in poll.options}
    chosen = sorted(set(option_ids) & valid)
    if not chosen or len(chosen) != len(set(option_ids)):
        raise DomainError("Choose an option.")
    if len(chosen) > 1 and not poll.multiple:
        raise DomainError("This poll takes one choice.")
    if has_voted(member, poll):
        raise DomainError("You have already voted in this poll.")
    # The ballot's primary key (poll, member) is what holds when two requests race past the
    # check above (a double submit, two tabs): only one ballot, and so one vote, is stored,
    # on SQLite and PostgreSQL alike. The per-option key alone let two single choices through.
    db.session.add(PollBallot(poll_id=poll.id, member_id=member.id))
    for option_id in chosen:
        db.session.add(PollVote(option_id=option_id, member_id=member.id, poll_id=poll.id))
    try:
        commit()
    except IntegrityError:  # the other request's ballot was stored first: it stands
        db.session.rollback()
        raise DomainError("You have already voted in this poll.") from None


def has_voted(member: Member, poll: Poll) -> bool:
    return db.session.get(PollBallot, (poll.id, member.id)) is not None


def close_poll(member: Member, thread_id: int) -> None:
    thread = access.get_visible_thread(member, thread_id)
    poll = db.session.scalars(select(Poll).where(Poll.thread_id == thread.id)).first()
    if poll is None:
        raise NotFound("This thread has no poll.")
    if not access.can_close_poll(member, thread):
        raise PermissionDenied("Only the thread's author or a moderator can close the poll.")
    poll.closed_at = poll.closed_at or utcnow()
    commit()
