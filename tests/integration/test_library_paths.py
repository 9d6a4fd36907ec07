"""Learning paths show only to those whose tier reaches every step, editors included, and a
save never loses a step: not one out of the editor's sight, nor one in draft or archived."""

from __future__ import annotations

import re

import pytest

from community.core.errors import NotFound
from community.extensions import db
from community.library import paths
from community.library.models import LearningPath
from tests import factories

POSITION = re.compile(r'name="position-(\d+)" id="position-\d+" value="(\d*)"')


def make_path(owner, title: str, resources) -> LearningPath:
    return paths.save_path(owner, None, title, "Read in this order.", [r.id for r in resources])


def steps_of(path_id: int) -> list[int]:
    db.session.expire_all()
    return [step.resource_id for step in db.session.get(LearningPath, path_id).steps]


@pytest.fixture
def mixed_path(app):
    """A path whose second step is for the Council only."""
    owner = factories.make_member("owner")
    open_step = factories.make_resource(owner, "Listening basics", tier_slug="strategist")
    council_step = factories.make_resource(owner, "Board-level playbook", tier_slug="council")
    return make_path(owner, "Becoming a council voice", [open_step, council_step])


@pytest.mark.parametrize("role", ["editor", "member"])
def test_a_path_with_a_step_above_the_tier_answers_404_everywhere(as_member, mixed_path, role):
    client, _ = as_member(role, "strategist")
    before = steps_of(mixed_path.id)
    assert client.get(f"/library/paths/{mixed_path.id}").status_code == 404
    assert "Becoming a council voice" not in client.get("/library/paths").get_data(as_text=True)
    edit = 404 if role == "editor" else 403  # members never edit, whatever the path
    assert client.get(f"/library/paths/{mixed_path.id}/edit").status_code == edit
    saved = client.submit(
        f"/library/paths/{mixed_path.id}/edit",
        {"title": "Renamed", f"position-{before[0]}": "1"},
    )
    assert saved.status_code == edit
    assert steps_of(mixed_path.id) == before
    assert db.session.get(LearningPath, mixed_path.id).title == "Becoming a council voice"


def test_the_service_never_drops_a_step_the_editor_cannot_see(app, mixed_path):
    editor = factories.make_member("editor", "strategist")
    before = steps_of(mixed_path.id)
    with pytest.raises(NotFound):
        paths.save_path(editor, mixed_path.id, "Renamed", "", [before[0]])
    assert steps_of(mixed_path.id) == before


def test_a_council_editor_sees_and_edits_the_whole_path(as_member, mixed_path):
    client, _ = as_member("editor", "council")
    page = client.get(f"/library/paths/{mixed_path.id}").get_data(as_text=True)
    assert "Board-level playbook" in page and "0 of 2 done" in page


def test_saving_the_form_as_shown_keeps_draft_and_archived_steps(as_member):
    owner = factories.make_member("owner")
    first = factories.make_resource(owner, "Published first", tier_slug="strategist")
    archived = factories.make_resource(
        owner, "Withdrawn", tier_slug="strategist", status="archived"
    )
    draft = factories.make_resource(owner, "Coming soon", tier_slug="executive", status="draft")
    last = factories.make_resource(owner, "Published last", tier_slug="executive")
    factories.make_resource(owner, "Not in the path", tier_slug="strategist")
    path = make_path(owner, "Executive track", [first, archived, draft, last])
    client, _ = as_member("editor", "executive")
    form_page = client.get(f"/library/paths/{path.id}/edit").get_data(as_text=True)
    shown = {f"position-{rid}": value for rid, value in POSITION.findall(form_page)}
    assert len(shown) == 5  # the four steps, whatever their status, and the other resource
    response = client.submit(
        f"/library/paths/{path.id}/edit", {"title": "Executive track (2027)", **shown}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert steps_of(path.id) == [first.id, archived.id, draft.id, last.id]
    assert db.session.get(LearningPath, path.id).title == "Executive track (2027)"
