"""Domain errors pick their HTTP status once, in ``community/core/error_pages.py``: the handlers
answer with the site's error pages, and no view turns NotFound or PermissionDenied into an
``abort`` of its own again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask

import community
from community.core.errors import NotFound, PermissionDenied, RateLimited

PACKAGE = Path(community.__file__).parent
STATUS_ERRORS = {"NotFound", "PermissionDenied"}


def _caught_names(handler: ast.ExceptHandler) -> set[str]:
    caught = handler.type
    nodes = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught else []
    return {
        node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "") for node in nodes
    }


def _calls_abort(handler: ast.ExceptHandler) -> bool:
    return any(
        isinstance(node, ast.Call)
        and (
            getattr(node.func, "id", None) == "abort" or getattr(node.func, "attr", None) == "abort"
        )
        for statement in handler.body
        for node in ast.walk(statement)
    )


def status_picked_by_hand(source: str) -> list[int]:
    """Lines of ``except NotFound``/``except PermissionDenied`` blocks that call ``abort``."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ExceptHandler)
        and _caught_names(node) & STATUS_ERRORS
        and _calls_abort(node)
    ]


def test_no_module_turns_a_domain_error_into_an_abort_of_its_own() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in status_picked_by_hand(path.read_text())
    ]

    assert offenders == [], "let NotFound/PermissionDenied reach the handlers in error_pages.py"


@pytest.mark.parametrize(
    "source",
    [
        "try:\n    f()\nexcept NotFound:\n    abort(404)\n",
        "try:\n    f()\nexcept errors.PermissionDenied:\n    flask.abort(403)\n",
        "try:\n    f()\nexcept (KeyError, NotFound):\n    log()\n    abort(404)\n",
    ],
)
def test_the_walk_finds_a_status_picked_by_hand(source: str) -> None:
    assert status_picked_by_hand(source) == [3]


@pytest.mark.parametrize(
    "source",
    [
        "try:\n    f()\nexcept NotFound:\n    raise\n",
        "try:\n    f()\nexcept ValueError:\n    abort(404)\n",
        "try:\n    f()\nexcept NotFound:\n    return render_template('gone.html'), 404\n",
    ],
)
def test_the_walk_leaves_other_handlers_alone(source: str) -> None:
    assert status_picked_by_hand(source) == []


def answer(app: Flask, error: Exception):
    """What the app answers when ``error`` escapes a view."""
    with app.test_request_context("/"):
        return app.make_response(app.handle_user_exception(error))


def test_not_found_answers_the_404_page_without_the_services_words(app) -> None:
    response = answer(app, NotFound("There is no post 7 in the boardroom."))

    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "There is nothing here, or it is not visible to you." in page
    assert "boardroom" not in page


def test_permission_denied_answers_the_403_page(app) -> None:
    response = answer(app, PermissionDenied("Revision history is for moderators."))

    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Your role does not give access to this page." in page
    assert "Revision history" not in page


def test_rate_limited_answers_429_with_retry_after_when_it_knows_the_wait(app) -> None:
    response = answer(app, RateLimited("Slow down.", retry_after=42))

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "42"
    assert "Please wait a few minutes before trying again." in response.get_data(as_text=True)


def test_rate_limited_without_a_known_wait_sends_no_retry_after(app) -> None:
    response = answer(app, RateLimited("Slow down."))

    assert response.status_code == 429
    assert "Retry-After" not in response.headers
