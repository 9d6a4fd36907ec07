"""The access package against itself, over a grid of members x objects (tests/access_grid.py).

Each visibility question has a Python predicate (one object: a page, a notification) and an SQL
form (lists, search, "who may read this"). Discourse checks its guardian the same way
(spec/support/topic_guardian_can_see_consistency_check.rb): if the two drift apart, a list shows
what a page refuses, or a notification goes to someone who cannot open it. Likewise each power
the thread page shows must be exactly what the service allows.

A disagreement fails the test naming the predicate, the member and the object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from community import access
from community.core.errors import DomainError, NotFound, PermissionDenied, RateLimited
from community.events.models import Event
from community.extensions import db
from community.forum import reactions, thread_moderation, thread_state
from community.forum import services as forum
from community.forum.models import Community, Post, Thread
from community.library import workflow
from community.library.models import Resource
from community.members.models import Member
from community.moderation import flags
from tests.access_grid import Grid, build_grid, build_profile_grid
from tests.conftest import committed_for_module


@pytest.fixture(scope="module")
def committed_grid(session_app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grid]:
    """The grid, built and committed once for the module's tests, which only read it (the power
    check's attempts are rolled back one by one, and each test's transaction as usual)."""
    folder = tmp_path_factory.mktemp("access-grid")
    with committed_for_module(session_app, folder, build_grid) as built:
        members, objects = built.size()
        print(f"access grid: {members} members x {objects} objects = {members * objects} pairs")
        yield built


@pytest.fixture
def grid(app: Flask, committed_grid: Grid) -> Grid:
    # Rates and new-member limits are other rules, with tests of their own: keep them out of
    # the way of hundreds of attempts.
    app.config.update(POSTS_PER_MINUTE=10_000, NEW_MEMBER_DAYS=0)
    return committed_grid


class Disagreements:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.compared = 0

    def compare(
        self, predicate: str, sql: str, member: str, python_yes: set[str], sql_yes: set[str]
    ) -> None:
        """``python_yes``/``sql_yes``: labels of the objects each side says yes to."""
        self.compared += 1
        for label in sorted(python_yes ^ sql_yes):
            self.found.append(
                f"{predicate} vs {sql}: member {member!r}, object {label!r}: "
                f"Python says {'yes' if label in python_yes else 'no'}, "
                f"SQL says {'yes' if label in sql_yes else 'no'}"
            )

    def assert_none(self) -> None:
        shown = "\n".join(self.found[:40])
        more = f"\n... and {len(self.found) - 40} more" if len(self.found) > 40 else ""
        assert not self.found, f"{len(self.found)} disagreements:\n{shown}{more}"


def _labels_where(model: Any, labelled: dict[str, int], where: Any) -> set[str]:
    """The labels of the grid's objects that match ``where``."""
    ids = set(db.session.scalars(select(model.id).where(where, model.id.in_(labelled.values()))))
    return {label for label, object_id in labelled.items() if object_id in ids}


def _labels_if(
    model: Any, labelled: dict[str, int], member: Member, test: Callable[[Member, Any], bool]
) -> set[str]:
    """The labels of the grid's objects ``test(member, object)`` says yes to."""
    return {
        label
        for label, object_id in labelled.items()
        if test(member, db.session.get_one(model, object_id))
    }


def _listed(thread: Thread) -> bool:
    """Lists show live threads only, and, like ``visible_communities``, leave archived
    communities out even for owners (who still open their threads by link)."""
    return thread.deleted_at is None and not thread.is_held and thread.community.archived_at is None


def test_every_predicate_agrees_with_its_sql_form(grid: Grid) -> None:
    _held = grid.load()  # the checks below read the grid from the session's identity map
    check = Disagreements()
    for who in grid.members:
        m = grid.member(who)
        visible_communities = access.visible_communities(m).where(
            Community.id.in_(grid.communities.values())
        )
        listed = {c.id for c in db.session.scalars(visible_communities)}
        check.compare(
            "can_see_community (not archived)",
            "visible_communities",
            who,
            _labels_if(
                Community,
                grid.communities,
                m,
                lambda m, c: access.can_see_community(m, c) and c.archived_at is None,
            ),
            {label for label, cid in grid.communities.items() if cid in listed},
        )
        check.compare(
            "can_see_thread (live threads, listed communities)",
            "visible_threads_filter",
            who,
            _labels_if(
                Thread, grid.threads, m, lambda m, t: access.can_see_thread(m, t) and _listed(t)
            ),
            _labels_where(Thread, grid.threads, access.visible_threads_filter(m)),
        )
        for thread_label, thread_id in grid.threads.items():
            thread = db.session.get_one(Thread, thread_id)
            if not access.can_see_thread(m, thread):
                continue
            moderator = access.can_moderate_community(m, thread.community)
            posts = {
                label: post_id
                for label, post_id in grid.posts.items()
                if db.session.get_one(Post, post_id).thread_id == thread_id
            }
            check.compare(
                "can_see_post",
                f"visible_posts_filter (in {thread_label})",
                who,
                _labels_if(Post, posts, m, access.can_see_post),
                _labels_where(Post, posts, access.visible_posts_filter(m, moderator)),
            )
        check.compare(
            "can_see_resource",
            "readable_resources_filter",
            who,
            _labels_if(Resource, grid.resources, m, access.can_see_resource),
            _labels_where(Resource, grid.resources, access.readable_resources_filter(m)),
        )
        check.compare(
            "can_see_resource (published)",
            "visible_resources_filter",
            who,
            _labels_if(
                Resource,
                grid.resources,
                m,
                lambda m, r: access.can_see_resource(m, r) and r.status == "published",
            ),
            _labels_where(Resource, grid.resources, access.visible_resources_filter(m)),
        )
        check.compare(
            "can_see_event",
            "visible_events_filter",
            who,
            _labels_if(Event, grid.events, m, access.can_see_event),
            _labels_where(Event, grid.events, access.visible_events_filter(m)),
        )

    # The other side of the question: who may read this object?
    def readers(test: Callable[[Member], bool]) -> set[str]:
        return {who for who in grid.members if test(grid.member(who))}

    for label, community_id in grid.communities.items():
        community = db.session.get_one(Community, community_id)
        for predicate, sql, where in (
            (
                access.can_see_community,
                "community_readers_filter",
                access.community_readers_filter(community),
            ),
            (
                access.can_moderate_community,
                "community_moderators_filter",
                access.community_moderators_filter(community),
            ),
        ):
            check.compare(
                predicate.__name__,
                sql,
                f"(readers of {label})",
                readers(lambda m, see=predicate, c=community: see(m, c)),  # type: ignore[misc]
                _labels_where(Member, grid.members, where),
            )
    for label, thread_id in grid.threads.items():
        thread = db.session.get_one(Thread, thread_id)
        check.compare(
            "can_see_thread",
            "thread_readers_filter",
            f"(readers of {label})",
            readers(lambda m, t=thread: access.can_see_thread(m, t)),  # type: ignore[misc]
            _labels_where(Member, grid.members, access.thread_readers_filter(thread)),
        )
    for label, resource_id in grid.resources.items():
        resource = db.session.get_one(Resource, resource_id)
        check.compare(
            "can_see_resource",
            "resource_readers_filter",
            f"(readers of {label})",
            readers(lambda m, r=resource: access.can_see_resource(m, r)),  # type: ignore[misc]
            _labels_where(Member, grid.members, access.resource_readers_filter(resource)),
        )
    print(f"{check.compared} predicate/SQL comparisons")
    check.assert_none()


def test_profile_predicate_agrees_with_the_directory_query(grid: Grid) -> None:
    """Every grid member (viewers of each role and tier, a suspended one) against profiles of
    each visibility, status and tier, and the viewers themselves."""
    profiles = build_profile_grid(grid) | grid.members
    _held = grid.load() + list(  # read from the session's identity map by the checks
        db.session.scalars(select(Member).where(Member.id.in_(profiles.values())))
    )
    check = Disagreements()
    for who in grid.members:
        m = grid.member(who)
        check.compare(
            "can_see_profile",
            "visible_members_filter",
            who,
            _labels_if(Member, profiles, m, access.can_see_profile),
            _labels_where(Member, profiles, access.visible_members_filter(m)),
        )
    print(f"{check.compared} profile comparisons over {len(profiles)} profiles")
    check.assert_none()


# --- Powers against the services that carry them out -------------------------------------------


@contextmanager
def undone() -> Iterator[None]:
    """Run the block inside a savepoint of the test's transaction and roll it back, so each
    attempt starts from the grid as built (the service's own commit stays inside it)."""
    db.session.commit()  # end the session's savepoint, so the next one opens inside ours
    savepoint = db.session.get_bind().begin_nested()
    try:
        yield
    finally:
        db.session.rollback()
        savepoint.rollback()
        db.session.expire_all()


ThreadAction = Callable[[Member, Thread], object]
THREAD_ACTIONS: dict[str, ThreadAction] = {
    "reply": lambda m, t: forum.reply(m, t.id, "A considered reply about measurement."),
    "close": lambda m, t: thread_state.close_thread(m, t.id, "answered"),
    "reopen": lambda m, t: thread_state.reopen_thread(m, t.id),
    "pin": lambda m, t: thread_moderation.set_thread_flags(m, t.id, pinned=not t.pinned),
    "lock": lambda m, t: thread_moderation.set_thread_flags(m, t.id, locked=not t.locked),
    "assign": lambda m, t: thread_moderation.assign_thread(m, t.id, m.handle),
    "move": lambda m, t: thread_moderation.move_thread(m, t.id, t.community.slug),
    "flag": lambda m, t: flags.flag_thread(m, t.id, "spam"),
    "promote": lambda m, t: workflow.promote_thread(m, t.id),
}
PostAction = Callable[[Member, Post], object]
POST_ACTIONS: dict[str, PostAction] = {
    "edit": lambda m, p: forum.edit_post(m, p.id, "An edited thought, put another way."),
    "delete": lambda m, p: forum.delete_post(m, p.id),
    "react": lambda m, p: reactions.toggle_reaction(m, p.id, "like"),
    "quote": lambda m, p: forum.reply(m, p.thread_id, "Quoting that.", quoted_post_id=p.id),
    "flag": lambda m, p: flags.flag_post(m, p.id, "spam"),
    "see_history": lambda m, p: forum.get_revisions(m, p.id),
}
SAMPLE_MEMBERS = (
    "owner/council",
    "moderator/council",
    "moderator/strategist",
    "editor/executive",
    "member/council",
    "member/strategist",
    "chapter lead (member/executive)",
    "thread author (member/strategist)",
)


def _attempt(action: Callable[[], object]) -> DomainError | None:
    """The service's refusal, or None when it did the thing."""
    with undone():
        try:
            action()
        except RateLimited as error:  # not an access rule: the fixture lifts the limits
            pytest.fail(f"rate limit hit during the power check: {error.message}")
        except DomainError as error:
            return error
    return None


def _judge(found: list[str], what: str, power: bool, refusal: DomainError | None) -> None:
    if power and refusal is not None:
        found.append(f"{what}: power says yes, the service refused: {refusal.message!r}")
    if not power and refusal is None:
        found.append(f"{what}: power says no, the service did it")


@dataclass(frozen=True)
class Shown:
    """What the page shows one member about one thread or post: whether it is in sight, and
    the powers it offers (None out of sight)."""

    visible: bool
    powers: Any


def _shown_to(member: Member, threads: dict[str, int], posts: dict[str, int]) -> dict[str, Shown]:
    """Every thread's and post's visibility and powers for ``member``, read from the grid as
    built, before any attempt (each attempt is rolled back, so the grid is the same for all)."""
    shown: dict[str, Shown] = {}
    for label, thread_id in threads.items():
        thread = db.session.get_one(Thread, thread_id)
        visible = access.can_see_thread(member, thread)
        shown[label] = Shown(visible, access.thread_powers(member, thread) if visible else None)
    for label, post_id in posts.items():
        post = db.session.get_one(Post, post_id)
        visible = access.can_see_thread(member, post.thread) and access.can_see_post(member, post)
        powers = None
        if visible:
            powers = access.post_powers(member, post, access.thread_powers(member, post.thread))
        shown[label] = Shown(visible, powers)
    return shown


@pytest.mark.sqlite_only(
    reason="powers and services decide in Python; the SQL forms are compared on both databases "
    "by the test above, and this one would take two minutes more on PostgreSQL"
)
def test_every_power_shown_is_what_the_service_allows(grid: Grid) -> None:
    """Yes: the service succeeds. No: it refuses (PermissionDenied, or a state refusal such as
    "already closed"). A thread or post out of sight: every action answers 404 (NotFound), or
    403 where the role is checked before the lookup (promote)."""
    found: list[str] = []
    attempts = 0
    threads = {label: tid for label, tid in grid.threads.items() if "council" not in label}
    posts = {label: pid for label, pid in grid.posts.items() if "council" not in label}
    for who in SAMPLE_MEMBERS:
        member_id = grid.members[who]
        shown = _shown_to(db.session.get_one(Member, member_id), threads, posts)
        for label, thread_id in threads.items():
            for name, action in THREAD_ACTIONS.items():
                member = db.session.get_one(Member, member_id)
                thread = db.session.get_one(Thread, thread_id)
                what = f"thread power {name!r}: member {who!r}, {label!r}"
                attempts += 1
                refusal = _attempt(lambda a=action, m=member, t=thread: a(m, t))
                if not shown[label].visible:
                    if not isinstance(refusal, NotFound | PermissionDenied):
                        found.append(f"{what}: out of sight, yet the service said {refusal!r}")
                    continue
                _judge(found, what, getattr(shown[label].powers, name), refusal)
        for label, post_id in posts.items():
            for name, post_action in POST_ACTIONS.items():
                member = db.session.get_one(Member, member_id)
                post = db.session.get_one(Post, post_id)
                what = f"post power {name!r}: member {who!r}, {label!r}"
                if name == "delete" and post.deleted_at is not None:
                    continue  # deleting a deleted post is a no-op, neither refused nor done
                attempts += 1
                refusal = _attempt(lambda a=post_action, m=member, p=post: a(m, p))
                if not shown[label].visible:
                    if not isinstance(refusal, NotFound):
                        found.append(f"{what}: out of sight, yet the service said {refusal!r}")
                    continue
                _judge(found, what, getattr(shown[label].powers, name), refusal)
    print(f"{attempts} power attempts")
    assert not found, f"{len(found)} disagreements:\n" + "\n".join(found[:40])
