"""The finish: a favicon, a valid web app manifest, a service worker with its offline page,
compressed text, content-hashed static files cached for a year, the unread count in the title."""

from __future__ import annotations

import gzip
import json
import re

from community.forum import services as forum
from tests.conftest import run_queued_work
from tests.factories.forum import make_community, start_thread

YEAR = "public, max-age=31536000, immutable"


def test_the_favicon_is_served_to_a_first_visit(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
        assert "max-age=86400" in response.headers["Cache-Control"]


def test_every_page_links_a_valid_manifest_whose_icons_load(client, as_member):
    member_client, _ = as_member()
    for page in (
        client.get("/").get_data(as_text=True),
        member_client.get("/c/").get_data(as_text=True),
    ):
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "Council" and manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as image:
            assert image.mimetype == "image/png"


def test_the_service_worker_caches_only_the_offline_page_and_its_assets(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    cached = json.loads(re.search(r"var ASSETS = (\[.*?\]);", worker.get_data(as_text=True))[1])
    assert cached[0] == "/offline"
    assert all(url.startswith("/static/") for url in cached[1:])
    offline = client.get("/offline")
    assert offline.status_code == 200 and "You are offline" in offline.get_data(as_text=True)


def test_pages_and_json_are_compressed_when_the_browser_accepts_it(as_member):
    client, _ = as_member()
    plain = client.get("/c/")
    zipped = client.get("/c/", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data).decode().count("<li") == plain.get_data(as_text=True).count(
        "<li"
    )
    assert len(zipped.data) < len(plain.data) / 2
    brotli = client.get("/c/", headers={"Accept-Encoding": "br, gzip"})
    assert brotli.headers["Content-Encoding"] == "br"
    with client.get(
        re.search(r'src="(/static/js/actions\.js\?v=\w+)"', plain.get_data(as_text=True))[1],
        headers={"Accept-Encoding": "gzip"},
    ) as script:
        assert script.headers["Content-Encoding"] == "gzip"
        assert b"in place" in gzip.decompress(script.data)


def test_static_files_have_content_hashed_urls_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/council\.css\?v=([0-9a-f]{12}))"', page)
    assert css, "the stylesheet's URL carries its hash"
    with client.get(css[1]) as hashed:
        assert hashed.status_code == 200 and hashed.headers["Cache-Control"] == YEAR
    with client.get("/static/css/council.css?v=000000000000") as stale:
        assert stale.headers["Cache-Control"] != YEAR  # an old hash is not kept for a year
    with client.get("/static/css/council.css") as unhashed:
        assert unhashed.headers["Cache-Control"] != YEAR


def test_the_tab_title_leads_with_the_unread_count(as_member):
    author_client, author = as_member()
    _, replier = as_member()
    thread = start_thread(author, make_community(), "Budgets", "How do you split it?")
    assert "<title>Budgets · Council</title>" in author_client.get(f"/t/{thread.id}").get_data(
        as_text=True
    )
    forum.reply(replier, thread.id, "Mostly paid.")
    run_queued_work()
    page = author_client.get("/c/").get_data(as_text=True)
    assert "<title>(1) Communities · Council</title>" in page
