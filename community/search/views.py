"""The search page: parse the form, run one search, render."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask_login import current_user

from community.core.errors import DomainError, NotFound
from community.search import services
from community.search.backend import KIND_LABELS, KINDS, SORTS

bp = Blueprint("search", __name__)


def _date(name: str, errors: dict[str, str]) -> date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        errors[name] = "Give the date as YYYY-MM-DD."
        return None


@bp.get("/search")
def search() -> tuple[str, int] | str:
    errors: dict[str, str] = {}
    filters = services.SearchFilters(
        text=request.args.get("q", ""),
        kind=request.args.get("kind", ""),
        community=request.args.get("community", "").strip(),
        author=request.args.get("author", "").strip(),
        since=_date("since", errors),
        until=_date("until", errors),
        sort=request.args.get("sort", "relevance"),
        page=request.args.get("page", 1, type=int) or 1,
    )
    outcome = None
    if not errors and filters.text.strip():
        try:
            outcome = services.run_search(current_user, filters)
        except NotFound:
            raise
        except DomainError as error:
            errors[error.field or "q"] = error.message
    else:
        if not errors and "q" in request.args:
            errors["q"] = "Type a word or two to search for."
        try:  # the scope a page's search field carries is checked even before any query
            services.check_scope(current_user, filters.community)
        except DomainError as error:
            errors[error.field or "community"] = error.message
    return render_template(
        "search/results.html",
        filters=filters,
        outcome=outcome,
        errors=errors,
        kinds=KINDS,
        kind_labels=KIND_LABELS,
        sorts=SORTS,
    )
