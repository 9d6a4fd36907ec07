"""The signed-in member as a plain object, for the views of the busiest pages.

Flask-Login's ``current_user`` is a proxy: each attribute read on it looks the member up
again through the request context. Handed to a service, it is read hundreds of times per
page (each post's powers, each time shown in the viewer's zone): on the thread page that was
about a tenth of the page's CPU (issue 15). The object behind it is the same member.
"""

from __future__ import annotations

from flask_login import current_user

from community.members.models import Member


def signed_in_member() -> Member:
    """The member behind ``current_user`` (the views that call this require sign-in)."""
    return current_user._get_current_object()
