"""slots-api.md "Rate limiting": per client IP, moving window, Retry-After, shared storage, fail open."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import pytest
from sqlalchemy import text

from tests.availability_api.helpers import URL
from tests.databases import TEST_REDIS_URL


@pytest.fixture
def app_config(database_url, request):
    return getattr(request, "param", {})


def _events(raw, action: str) -> list:
    return raw.execute(text(
        f"SELECT ip_address, user_agent, category FROM {raw.private('service_management_log')}"
        " WHERE action = :a"
    ), {"a": action}).all()


def test_eleventh_request_in_ten_seconds_is_429_despite_changing_forwarded_for(client, raw):
    statuses = [
        client.get(URL, headers={"X-Forwarded-For": f"203.0.113.{i}", "User-Agent": "booking-site/2.1"}).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [400] * 10  # counted whatever the answer (here: no parameters)
    assert statuses[10] == 429
    response = client.get(URL, headers={"X-Forwarded-For": "198.51.100.7"})
    assert response.status_code == 429
    assert response.mimetype == "application/json"
    assert response.json["code"] == "RATE_LIMITED" and response.json["error"]
    assert 1 <= int(response.headers["Retry-After"]) <= 10
    # Another client (socket peer) is not affected.
    assert client.get(URL, environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 400
    # The breaches were logged once for this client in this window (sampled).
    assert [(str(row.ip_address), row.user_agent, row.category) for row in _events(raw, "rate_limit_exceeded")] == [
        ("127.0.0.1", "booking-site/2.1", "security")]


def test_health_and_openapi_are_not_limited(client):
    assert [client.get("/api/health").status_code for _ in range(12)] == [200] * 12
    assert client.get(URL, query_string={}).status_code == 400


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXY_HOPS": 1}], indirect=True)
def test_trusted_proxy_hop_identifies_clients_but_not_invented_hops(client):
    # Each real client (the hop the proxy appended) has its own count.
    assert [client.get(URL, headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
            for i in range(12)] == [400] * 12
    # A client inventing earlier hops keeps the address the proxy saw.
    statuses = [client.get(URL, headers={"X-Forwarded-For": f"10.0.0.{i}, 198.51.100.1"}).status_code
                for i in range(11)]
    assert statuses == [400] * 10 + [429]


@pytest.mark.parametrize("app_config", [{"SLOTS_RATE_LIMIT": "3 per 10 seconds"}], indirect=True)
def test_limit_is_configurable(client):
    assert [client.get(URL).status_code for _ in range(4)] == [400, 400, 400, 429]


@pytest.mark.parametrize("app_config", [{"SLOTS_RATE_LIMIT": "2 per 10 seconds"}], indirect=True)
def test_preflight_options_are_not_counted(client):
    for _ in range(5):
        assert client.options(URL, headers={"Origin": "https://example.test",
                                            "Access-Control-Request-Method": "GET"}).status_code == 200
    assert [client.get(URL).status_code for _ in range(3)] == [400, 400, 429]


@pytest.mark.parametrize("app_config", [{"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}], indirect=True)
def test_storage_down_fails_open_and_is_logged_once(client, raw, caplog):
    statuses = [client.get(URL, headers={"User-Agent": "booking-site/2.1"}).status_code for _ in range(13)]
    assert statuses == [400] * 13  # answered, never limited, never 500
    events = _events(raw, "limiter_storage_down")
    assert len(events) == 1  # at most once a minute per process
    assert (str(events[0].ip_address), events[0].user_agent, events[0].category) == (
        "127.0.0.1", "booking-site/2.1", "security")
    assert client.get("/api/health").status_code == 200


def _instance(database_url: str, prefix: str, requests: int) -> list[str]:
    """Run a separate app instance (its own process) and return its answers' statuses."""
    script = textwrap.dedent(f"""
        from portal import create_app
        app = create_app({{"TESTING": True, "SECRET_KEY": "x",
                          "SQLALCHEMY_DATABASE_URI": {database_url!r},
                          "RATELIMIT_STORAGE_URI": {TEST_REDIS_URL!r},
                          "RATELIMIT_KEY_PREFIX": {prefix!r},
                          # the same 10 as production, over a window that outlasts a slow
                          # start of the second process on a busy machine
                          "SLOTS_RATE_LIMIT": "10 per 10 minutes"}})
        c = app.test_client()
        print(" ".join(str(c.get({URL!r}).status_code) for _ in range({requests})))
    """)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=root)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_limit_is_shared_by_two_app_instances_on_one_redis(database_url, engine_name):
    """Two app instances (two processes) on one Redis share one count per client."""
    if engine_name != "sqlite":
        pytest.skip("the limiter does not depend on the database engine")
    import redis

    prefix = f"portal-test-{os.getpid()}-{uuid.uuid4().hex}"  # unique per run: runs never collide
    store = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        assert _instance(database_url, prefix, 6) == ["400"] * 6
        assert _instance(database_url, prefix, 5) == ["400"] * 4 + ["429"]
        # The count lives under this run's prefix only.
        assert [key for key in store.scan_iter(match=f"*{prefix}*")]
    finally:
        for key in store.scan_iter(match=f"*{prefix}*"):
            store.delete(key)
        store.close()
