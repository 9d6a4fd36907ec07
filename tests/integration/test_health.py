"""Health checks, security headers, the session cookie and error pages."""

from tests import factories


def test_healthz_answers_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == {"status": "ok"}


def test_readyz_reports_the_migrated_database_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["message_queue"] == "in-process"


def test_readyz_is_not_ready_when_the_configured_redis_does_not_answer(app, client):
    from tests.servers import free_port

    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["message_queue"].startswith("unavailable")


def test_pages_carry_security_headers(client):
    for url in ("/", "/login", "/healthz"):
        response = client.get(url)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp


def test_signed_in_pages_are_not_cached(as_member):
    client, _ = as_member()
    assert "no-store" in client.get("/").headers["Cache-Control"]


def test_session_cookie_is_http_only_and_same_site_lax(app, client):
    member = factories.make_member()
    response = client.submit("/login", {"email": member.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "signing in sets the session cookie"
    attributes = [part.strip().lower() for part in cookies[-1].split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_not_found_page_renders_inside_the_site_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<title>Not found · Council</title>" in page
    assert 'class="site-header"' in page
    assert 'href="/apply"' in page  # the visitor's navigation is there
    assert "There is nothing here" in page


def test_not_found_page_for_a_member_shows_their_navigation(as_member):
    client, member = as_member()
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert member.name in page
    assert "Sign out" in page
