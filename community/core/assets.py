"""Static files under content-hashed URLs, cached for a year, and text responses compressed.

Every ``url_for("static", filename=...)`` gets ``?v=<hash of the file's content>``, hashed once
when the app starts. A request that names the current hash is answered with a year-long,
immutable cache; a changed file gets a new hash, hence a new URL, so no browser keeps an old
stylesheet or script. A request without the hash (or with an old one) keeps the default
``no-cache``, which revalidates.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

from community.extensions import compress

HASHES = "assets.hashes"
YEAR_SECONDS = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR_SECONDS}, immutable"
# Text worth compressing: pages, JSON answers, styles, scripts, the icon sprite, the manifest.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
]


def hash_static_files(folder: Path) -> dict[str, str]:
    """filename (relative, with forward slashes) -> the first 12 hex digits of its SHA-256."""
    hashes = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            hashes[path.relative_to(folder).as_posix()] = digest
    return hashes


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Flask-Compress 1.25 drops a streamed response's own iterable without closing it (an
    # open file per static file served); static files are read whole below instead.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
    app.extensions[HASHES] = hash_static_files(Path(app.static_folder or "static"))
    app.url_defaults(_add_content_hash)
    app.after_request(_cache_hashed_static_files)


def _add_content_hash(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "static" and "v" not in values:
        digest = current_app.extensions[HASHES].get(values.get("filename", ""))
        if digest:
            values["v"] = digest


def _cache_hashed_static_files(response: Response) -> Response:
    """Runs before the compression (registered after it): a static text file is read into
    memory, so that it is compressed like a page, and its file closed when the response is."""
    if request.endpoint != "static" or response.status_code != 200:
        return response
    if response.mimetype in COMPRESSED_TYPES:
        response.direct_passthrough = False
        response.make_sequence()
    filename = (request.view_args or {}).get("filename", "")
    if request.args.get("v") and request.args["v"] == current_app.extensions[HASHES].get(filename):
        response.headers["Cache-Control"] = IMMUTABLE
    return response
