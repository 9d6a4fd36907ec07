"""What makes Council an installable app: the favicon, the web app manifest, the service
worker and the page it shows offline.

The service worker caches the offline page and its stylesheet only, never a member's page: a
shared or lost phone must not keep discussions on disk. It answers a page request from the
network, and shows the offline page only when the network fails.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory, url_for
from werkzeug.wrappers import Response

from community.core.assets import HASHES

bp = Blueprint("shell", __name__)

DAY_SECONDS = 24 * 3600
BRAND = "#17324d"
PAPER = "#fbfaf7"


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico on their own on a first visit: answer it, cached a day."""
    response = send_from_directory(
        current_app.static_folder or "static", "favicon.ico", max_age=DAY_SECONDS
    )
    response.headers["Cache-Control"] = f"public, max-age={DAY_SECONDS}"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    icons = [
        {"src": url_for("static", filename=f"img/icon-{size}.png"), "sizes": f"{size}x{size}"}
        for size in (192, 512)
    ]
    icons.append(
        {
            "src": url_for("static", filename="img/icon-maskable-512.png"),
            "sizes": "512x512",
            "purpose": "maskable",
        }
    )
    body = {
        "name": "Council",
        "short_name": "Council",
        "description": "An invitation-only community for executives.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": PAPER,
        "theme_color": BRAND,
        "icons": [{**icon, "type": "image/png"} for icon in icons],
    }
    response = current_app.response_class(
        current_app.json.dumps(body), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = f"public, max-age={DAY_SECONDS}"
    return response


@bp.get("/sw.js")
def service_worker() -> Response:
    """The worker, from the site's root so that it may answer for every page. Its cache's
    name carries the offline page's assets' hashes: a new stylesheet makes a new cache."""
    hashes = current_app.extensions[HASHES]
    version = hashes.get("css/council.css", "") + hashes.get("img/icon-192.png", "")
    script = render_template(
        "core/sw.js",
        version=version,
        offline_url=url_for("shell.offline"),
        assets=[
            url_for("static", filename="css/council.css"),
            url_for("static", filename="img/icon-192.png"),
        ],
    )
    response = current_app.response_class(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # browsers check for a new worker often
    return response


@bp.get("/offline")
def offline() -> str:
    """The page the service worker shows without a network: nothing of any member's."""
    return render_template("core/offline.html")
