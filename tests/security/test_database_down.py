"""The database unreachable: every page and API route that needs it answers 503 with
Retry-After (the page, or JSON under /api) — anonymous and signed in as each role —
and the same app answers normally once the database is back."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal.errors import NO_DATABASE_ENDPOINTS
from tests import databases
from tests.test_route_access import routes, sign_in

pytestmark = pytest.mark.postgresql_only
ROLES = ("admin", "auditor", "stylist", "customer")


def every_get_url(app) -> list[str]:
    urls = [r.url for r in routes(app, include_login=True) if r.method == "GET"]
    urls += ["/api/health", "/metrics",
             f"/api/bookings/available-slots?stylistId={uuid.uuid4()}&serviceId={uuid.uuid4()}&targetDate=2030-01-07"]
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert NO_DATABASE_ENDPOINTS <= endpoints | {"bootstrap.static"}
    return urls


def cut(database: str, allow: bool) -> None:
    engine = databases.pg_admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"true" if allow else "false"}'))
        if not allow:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              " WHERE datname = :d AND pid <> pg_backend_pid()"), {"d": database})
    engine.dispose()


def test_every_route_answers_503_while_the_database_is_down(app, auth, client):
    clients = {"anonymous": client}
    for role in ROLES:
        signed = app.test_client()
        from tests.web import AuthActions

        sign_in(app, signed, AuthActions(signed), role)
        clients[role] = signed
    urls = every_get_url(app)
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    cut(database, allow=False)
    try:
        wrong = []
        for who, browser in clients.items():
            for url in urls:
                response = browser.get(url)
                is_api = url.startswith("/api/")
                if (response.status_code != 503 or "Retry-After" not in response.headers
                        or response.is_json != is_api):
                    wrong.append((who, url, response.status_code))
                elif not is_api:
                    assert b"temporarily unavailable" in response.data
        assert wrong == []
    finally:
        cut(database, allow=True)
    assert clients["admin"].get("/").status_code == 200  # the same app recovers by itself
    assert client.get("/api/health").json == {"status": "ok", "database": "ok"}
    assert client.get("/login").status_code == 200


STATIC_FILES = ("/static/css/portal.css", "/static/favicon.ico")


def test_static_files_and_bad_form_posts_while_the_database_is_down(app, auth, client):
    """Issue 22 points 8 and 12: the 503 page stays styled for a signed-in person (its
    stylesheet answers), and a signed-in POST with a missing or wrong CSRF token gets
    the 503 page (or the CSRF 400), never gunicorn's bare 500."""
    signed = app.test_client()
    from tests.web import AuthActions, csrf_token

    sign_in(app, signed, AuthActions(signed), "admin")
    token = csrf_token(signed)
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    cut(database, allow=False)
    try:
        for browser in (client, signed):
            for url in STATIC_FILES:
                response = browser.get(url)
                assert response.status_code == 200 and response.data, (url, response.status_code)
                response.close()
        for data in ({}, {"csrf_token": "not-a-token"}, {"csrf_token": token + "x"}):
            response = signed.post("/language", data={**data, "language": "ne"})
            assert response.status_code in (400, 503), response.status_code
            assert b"Something went wrong" not in response.data
            assert response.status_code == 400 or "Retry-After" in response.headers
            assert b"<html" in response.data.lower()
    finally:
        cut(database, allow=True)
