"""Drafts live in the browser: ``static/js/composer.js`` keeps each text in localStorage, keyed
by member and place (a thread, a community's new-thread form, a post being edited), restores it
after a reload or a lost connection and clears it once it is posted.

Only the server knows a post went through, so the view that saved it notes the place in the
session, and the next composer page hands the list to the script
(``data-drafts-posted``), which clears those drafts. A post that never arrived (a dropped
connection, a form error) notes nothing, and its draft stays.

Signing out of this browser clears the member's drafts, so the next person at a shared computer
finds none: Flask-Login's ``user_logged_out`` signal notes the member in the session, and the
next page (whoever sees it) carries ``data-clear-drafts``, which ``static/js/drafts.js`` obeys.
Drafts are keyed by member as well, so a member never restores another's.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, session

_SESSION_KEY = "composer_posted"
_SIGNED_OUT_KEY = "composer_signed_out"
_KEPT = 5  # places noted at most, should several posts land before a composer page


def thread_scope(thread_id: int) -> str:
    return f"thread:{thread_id}"


def community_scope(slug: str) -> str:
    return f"community:{slug}"


def post_scope(post_id: int) -> str:
    return f"post:{post_id}"


def note_posted(scope: str) -> None:
    """The text written for ``scope`` is saved: its draft may go."""
    noted = [each for each in session.get(_SESSION_KEY, []) if each != scope]
    session[_SESSION_KEY] = [*noted, scope][-_KEPT:]


def take_posted() -> list[str]:
    """The places whose drafts were posted since the last composer page, told once."""
    if _SESSION_KEY not in session:
        return []
    return list(session.pop(_SESSION_KEY))


def draft_prefix(member_id: int) -> str:
    """The start of every localStorage key holding this member's drafts."""
    return f"council:draft:{member_id}:"


def note_signed_out(_app: Flask, user: Any) -> None:
    """Flask-Login's ``user_logged_out``: this browser's drafts of ``user`` may go."""
    if getattr(user, "id", None) is not None:
        session[_SIGNED_OUT_KEY] = user.id


def take_signed_out_prefix() -> str:
    """The draft prefix of the member who signed out of this browser, told once ("" if none)."""
    member_id = session.pop(_SIGNED_OUT_KEY, None)
    return draft_prefix(member_id) if member_id is not None else ""
