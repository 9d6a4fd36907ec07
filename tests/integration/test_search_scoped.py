"""Scoped search: the library list and a community page each carry a search field that
searches only them (the /search page with ``kind=resource`` or ``community=<slug>``)."""

from __future__ import annotations

import re

import pytest

from community.search import indexing
from tests import factories
from tests.conftest import run_queued_work


@pytest.fixture
def search_index(search_backend):
    indexing.rebuild()
    return search_backend


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def scoped_form(page: str, field_id: str) -> str:
    """The scoped search form holding the field, as the page renders it."""
    forms = re.findall(r'<form[^>]*class="filters scoped-search".*?</form>', page, re.S)
    (form,) = [form for form in forms if f'id="{field_id}"' in form]
    assert 'action="/search"' in form and 'name="q"' in form
    return form


def test_the_library_search_finds_resources_only(search_index, as_member):
    client, member = as_member("member", "strategist")
    editor = factories.make_member("editor", "council")
    resource = factories.make_resource(editor, "Capybara playbook", body="Capybara metrics.")
    factories.start_thread(
        member, factories.make_community("growth", "strategist"), "Capybara chat", "Hello."
    )
    run_queued_work()

    form = scoped_form(page_text(client.get("/library")), "library-q")
    assert '<input type="hidden" name="kind" value="resource">' in form
    found = page_text(client.get("/search?q=capybara&kind=resource"))
    assert f"/library/{resource.id}" in found and "Capybara chat" not in found
    assert "1 result" in found


def test_a_community_search_finds_only_that_communitys_threads(search_index, as_member):
    client, member = as_member("member", "strategist")
    growth = factories.make_community("growth", "strategist")
    other = factories.make_community("other", "strategist")
    mine = factories.start_thread(member, growth, "Axolotl pricing", "Ours.")
    factories.start_thread(member, other, "Axolotl hiring", "Theirs.")
    run_queued_work()

    form = scoped_form(page_text(client.get(f"/c/{growth.slug}")), "community-q")
    assert f'<input type="hidden" name="community" value="{growth.slug}">' in form
    found = page_text(client.get(f"/search?q=axolotl&community={growth.slug}"))
    assert f"/t/{mine.id}" in found and "Axolotl hiring" not in found
    assert f"Only in {growth.name}" in found and "Search everywhere" in found


def test_an_empty_scoped_search_keeps_its_scope_and_says_what_to_do(search_index, as_member):
    client, _ = as_member("member", "strategist")
    growth = factories.make_community("growth", "strategist")
    found = page_text(client.get(f"/search?q=&community={growth.slug}"))
    assert "Type a word or two" in found
    assert f'name="community" id="search-community" value="{growth.slug}"' in found


def test_a_community_out_of_sight_cannot_be_searched_or_named(search_index, as_member):
    owner = factories.make_member("owner", "council")
    council = factories.make_community("boardroom", "council")
    factories.start_thread(owner, council, "Merger talks", "Project heron.")
    run_queued_work()
    client, _ = as_member("member", "strategist")
    assert client.get(f"/c/{council.slug}").status_code == 404
    found = page_text(client.get(f"/search?q=heron&community={council.slug}"))
    assert "no such community" in found and "Merger" not in found
    assert f'value="{council.slug}"' not in found
