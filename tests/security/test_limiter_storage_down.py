"""The limiter's storage killed: sign-in is still limited (per process) and the outage
is recorded once."""
from __future__ import annotations

import pytest

from tests.audit_trail import log_rows
from tests.security.served import redis_server


@pytest.fixture
def redis_port():
    with redis_server() as (port, process):
        yield port, process


@pytest.fixture
def app_config(redis_port):
    port, _ = redis_port
    return {"RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0", "LOGIN_RATE_LIMIT": "5 per minute"}


def test_sign_in_stays_limited_when_the_storage_dies(app, auth, factory, redis_port):
    _, process = redis_port
    email = factory.user("admin").email
    assert auth.login(email, "wrong guess").status_code == 200  # counted in Redis
    process.kill()
    process.wait(10)
    statuses = [auth.login(email, f"guess {n}").status_code for n in range(8)]
    assert statuses == [200] * 5 + [429] * 3  # this process counts on its own now
    (row,) = log_rows(app, category="security", action="limiter_storage_down")
    assert row["severity"] == "critical" and row["details"]["storage"] == "redis"
