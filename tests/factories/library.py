"""Library resources, written by an editor and moved through the workflow."""

from __future__ import annotations

from community.library import services as library
from community.library import workflow
from community.library.models import Resource
from community.members.models import Member
from tests.factories.sequence import next_number


def make_resource(
    editor: Member,
    title: str = "",
    *,
    tier_slug: str = "strategist",
    kind: str = "article",
    topics: str = "Measurement",
    status: str = "published",
    summary: str = "A short summary.",
    body: str = "Some **useful** text.",
) -> Resource:
    """A resource written by ``editor`` and moved through the workflow up to ``status``."""
    n = next_number()
    resource = library.create_resource(
        editor,
        library.ResourceDraft(
            kind=kind,
            title=title or f"Resource {n}",
            summary=summary,
            body=body,
            min_tier=tier_slug,
            topics=topics,
        ),
    )
    if status != "draft":
        workflow.transition(editor, resource.id, "in_review")
    if status in ("published", "archived"):
        workflow.transition(editor, resource.id, "published")
    if status == "archived":
        workflow.transition(editor, resource.id, "archived")
    return resource
