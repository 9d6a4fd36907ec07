"""The landing page, or a signed-in member's home."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from community.home.services import get_home
from community.members.viewer import signed_in_member

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> str:
    if current_user.is_authenticated:
        return render_template("home/home.html", home=get_home(signed_in_member()))
    return render_template("home/landing.html")
