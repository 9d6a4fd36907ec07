"""Line icons as a template global: ``{{ icon("like") }}``.

Each icon is a ``<use>`` of one symbol in ``static/img/icons.svg``, a file the browser caches
for a year (its URL carries its content hash), so a page of twenty posts carries twenty short
tags instead of twenty copies of each drawing, and Jinja calls no macro per icon. Decorative:
the control holding an icon carries the words, visible or for screen readers.
"""

from __future__ import annotations

from flask import Flask, current_app, url_for
from markupsafe import Markup

ICONS = "icons.markup"
SPRITE = "img/icons.svg"


def icon(name: str) -> Markup:
    """The ``<svg>`` for icon ``name``, built once per app and name."""
    built: dict[str, Markup] = current_app.extensions[ICONS]
    markup = built.get(name)
    if markup is None:
        href = f"{url_for('static', filename=SPRITE)}#{name}"
        markup = Markup('<svg class="icon" aria-hidden="true"><use href="{}"></use></svg>').format(
            href
        )
        built[name] = markup
    return markup


def init_app(app: Flask) -> None:
    app.extensions[ICONS] = {}
    app.add_template_global(icon)
