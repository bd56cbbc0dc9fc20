"""Requests: body limit, browser security headers on every response, `/api` answers
only JSON and never redirects, `/metrics` for the monitoring network only."""
from __future__ import annotations

import io

import pytest

from tests.test_route_access import routes, sign_in

TWO_MB = 2 * 1024 * 1024


class CountingStream(io.RawIOBase):
    """A request body of `size` bytes that counts how much the server read."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        return n


@pytest.mark.parametrize("path, json", [("/login", False), ("/api/bookings/available-slots", True)])
def test_a_2_mb_body_is_refused_without_being_read(client, path, json):
    body = CountingStream(TWO_MB)
    response = client.post(path, content_type="application/x-www-form-urlencoded",
                           environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": str(TWO_MB)})
    assert response.status_code == 413
    assert body.read_bytes < TWO_MB // 2, f"the server read {body.read_bytes} bytes"
    if json:
        assert response.is_json and response.json["error"] == "The request is too large."
    else:
        assert b"too large" in response.data


EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def assert_headers(response, where: str) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (where, name)
    policy = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, where
    assert "unsafe-inline" not in policy and "style-src 'self'" in policy, where


def every_get(app) -> list[str]:
    urls = [r.url for r in routes(app) if r.method == "GET"]
    return urls + ["/login", "/api/health", "/api/openapi.json", "/api/bookings/available-slots",
                   "/metrics", "/static/css/portal.css", "/no-such-page", "/api/no-such-thing"]


@pytest.mark.parametrize("role", [None, "admin", "stylist", "auditor"])
def test_every_response_carries_the_security_headers(app, client, auth, role):
    if role:
        sign_in(app, client, auth, role)
    for url in every_get(app):
        assert_headers(client.get(url), url)
    for route in routes(app, include_login=True):
        if route.method != "GET":
            assert_headers(client.open(route.url, method=route.method, data={}), f"{route.method} {route.url}")


def test_strict_transport_security_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://portal.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/api//bookings//available-slots", 404),
    ("GET", "/api/bookings/available-slots/", 404),
    ("GET", "/api/health/", 404),
    ("GET", "/api/nothing-here", 404),
    ("POST", "/api/health", 405),
    ("DELETE", "/api/bookings/available-slots", 405),
    ("POST", "/api//health", 405),
    ("GET", "/api/" + "x" * 5000, 404),
])
def test_api_errors_are_json_and_never_redirects(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status, response.headers.get("Location")
    assert response.is_json and set(response.json) >= {"error", "code"}
    assert "Location" not in response.headers


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


def metrics(client, **kwargs):
    return client.get("/metrics", **kwargs)


def test_metrics_answer_a_loopback_or_private_peer_only(client):
    response = metrics(client)
    assert response.status_code == 200 and b"slot_requests_total" in response.data
    assert b"python_info" not in response.data and b"version" not in response.data
    assert metrics(client, environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert metrics(client, environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code == 403


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXY_HOPS": 1}], indirect=True)
def test_metrics_refuse_a_public_client_behind_the_trusted_proxy(client):
    assert metrics(client, headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 403
    assert metrics(client, headers={"X-Forwarded-For": "10.0.0.7"}).status_code == 200


@pytest.mark.parametrize("app_config", [{"METRICS_TOKEN": "s3cret-token"}], indirect=True)
def test_metrics_with_a_token_need_the_bearer_token(client):
    assert metrics(client).status_code == 401  # loopback is not enough any more
    assert metrics(client, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert metrics(client, headers={"Authorization": "s3cret-token"}).status_code == 401
    ok = metrics(client, headers={"Authorization": "Bearer s3cret-token"}, environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert ok.status_code == 200 and b"python_info" not in ok.data


def test_scrapes_close_together_count_the_cache_once(app, client):
    from sqlalchemy import event

    from portal.extensions import db

    counted = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: counted.append(statement)
                 if "count(*)" in statement and "availability_cache" in statement else None)
    for _ in range(3):
        assert metrics(client).status_code == 200
    assert len(counted) == 1
