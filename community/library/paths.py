"""Learning paths: ordered collections of resources, with each member's progress.

A path shows only to those whose tier reaches every step (``access.can_see_path``); anyone
else, editors included, gets "no such path". Within it, a member sees the published steps:
one in draft or archived is left out of the path and of the count.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from community import access
from community.core.errors import DomainError, NotFound, PermissionDenied
from community.core.events import commit
from community.extensions import db
from community.library.models import Completion, LearningPath, PathStep, Resource
from community.members.models import Member

MAX_TITLE = 200
MAX_CHOICES = 500  # published resources offered on the path form


@dataclass(frozen=True)
class PathView:
    path: LearningPath
    resources: list[Resource]  # the visible steps, in order
    done: set[int]  # ids of those the member marked as done

    @property
    def done_count(self) -> int:
        return len(self.done)

    @property
    def total(self) -> int:
        return len(self.resources)


def _done_ids(member: Member, resource_ids: list[int]) -> set[int]:
    if not resource_ids:
        return set()
    return set(
        db.session.scalars(
            select(Completion.resource_id).where(
                Completion.member_id == member.id, Completion.resource_id.in_(resource_ids)
            )
        )
    )


def _view(member: Member, path: LearningPath, done: set[int]) -> PathView:
    visible = [
        step.resource
        for step in path.steps
        if step.resource.is_published and access.can_see_resource(member, step.resource)
    ]
    return PathView(path, visible, {r.id for r in visible} & done)


def list_paths(member: Member) -> list[PathView]:
    """Every path with the member's progress; paths with nothing visible are left out."""
    paths = list(db.session.scalars(select(LearningPath).order_by(LearningPath.title)))
    resource_ids = [step.resource_id for path in paths for step in path.steps]
    done = _done_ids(member, resource_ids)
    views = [_view(member, path, done) for path in paths if access.can_see_path(member, path)]
    return [view for view in views if view.resources or access.can_curate_library(member)]


def _visible_path(member: Member, path_id: int) -> LearningPath:
    path = db.session.get(LearningPath, path_id)
    if path is None or not access.can_see_path(member, path):
        raise NotFound("There is no such learning path.")
    return path


def get_path(member: Member, path_id: int) -> PathView:
    path = _visible_path(member, path_id)
    done = _done_ids(member, [step.resource_id for step in path.steps])
    view = _view(member, path, done)
    if not view.resources and not access.can_curate_library(member):
        raise NotFound("There is no such learning path.")
    return view


def save_path(
    member: Member, path_id: int | None, title: str, summary: str, resource_ids: list[int]
) -> LearningPath:
    """Create or change a path; ``resource_ids`` in the order members should follow them.

    Only an editor who sees every step may change a path (anyone else is told there is no such
    path), so a save never drops a step the editor could not see, even one added by someone
    else since the form was shown."""
    if not access.can_curate_library(member):
        raise PermissionDenied("Only editors and owners arrange learning paths.")
    if not title.strip() or len(title) > MAX_TITLE:
        raise DomainError(f"Give the path a title (up to {MAX_TITLE} characters).", field="title")
    ordered = list(dict.fromkeys(resource_ids))
    resources = {
        r.id: r for r in db.session.scalars(select(Resource).where(Resource.id.in_(ordered)))
    }
    if len(resources) != len(ordered) or not all(
        access.can_edit_resource(member, r) for r in resources.values()
    ):
        raise DomainError("One of the chosen resources does not exist.", field="resources")
    if path_id is None:
        path = LearningPath(created_by_id=member.id)
        db.session.add(path)
    else:
        path = _visible_path(member, path_id)
        # Replace the steps in two statements: an insert of a (path, resource) pair kept from
        # the old order would otherwise collide with its not yet deleted row.
        db.session.execute(delete(PathStep).where(PathStep.path_id == path.id))
        db.session.expire(path, ["steps"])
    path.title, path.summary = title.strip(), summary.strip()
    path.steps = [
        PathStep(resource_id=rid, position=position) for position, rid in enumerate(ordered, 1)
    ]
    commit()
    return path


def editing_choices(
    member: Member, path: LearningPath | None
) -> tuple[list[Resource], dict[int, int]]:
    """What the path form offers, and each current step's position: the path's own steps
    first, whatever their status (so saving keeps a draft or archived step unless the editor
    clears it), then the other published resources the editor can see."""
    steps = [step.resource for step in path.steps] if path is not None else []
    positions = {step.resource_id: step.position for step in path.steps} if path else {}
    published = db.session.scalars(
        select(Resource)
        .where(access.visible_resources_filter(member), Resource.id.not_in(positions))
        .order_by(Resource.published_at.desc(), Resource.id.desc())
        .limit(MAX_CHOICES)
    )
    return steps + list(published), positions
