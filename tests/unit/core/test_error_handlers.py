"""Domain errors pick their HTTP status once, in ``community/core/error_pages.py``: the handlers
answer with the site's error pages."""

from __future__ import annotations

from flask import Flask

from community.core.errors import NotFound, PermissionDenied, RateLimited


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
