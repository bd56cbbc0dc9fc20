"""The log cannot be grown without bound from many addresses (security.md "Logs that
cannot be flooded or bent"): at most `SECURITY_EVENTS_PER_MINUTE` rows per event and
minute from all clients together, then one summary row; an IPv6 address counts by its
/64. Run with the in-process storage, with a Redis of the test's own (the shared
storage several workers use) and with `TEST_REDIS_URL` (its keys under a prefix of
the test's own, `RATELIMIT_KEY_PREFIX`)."""
from __future__ import annotations

import uuid

import limits.storage.memory as memory_storage
import pytest

from portal.network import client_network
from tests import databases
from tests.audit_trail import log_rows
from tests.security.served import redis_server
from tests.security.test_sampling import LaterTime
from tests.web import csrf_token

CAP = 20


@pytest.fixture(params=["memory", "redis", "TEST_REDIS_URL"])
def storage_uri(request):
    if request.param == "memory":
        yield "memory://"
    elif request.param == "TEST_REDIS_URL":
        if not databases.TEST_REDIS_URL:
            pytest.skip("TEST_REDIS_URL is not set")
        yield databases.TEST_REDIS_URL
    else:
        with redis_server() as (port, _):
            yield f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def app_config(storage_uri):
    return {"RATELIMIT_STORAGE_URI": storage_uri, "SECURITY_EVENTS_PER_MINUTE": CAP,
            "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex}  # a shared Redis: this test's counters only


def network(n: int) -> str:
    return f"2001:db8:{n:x}::{n + 1:x}"  # a /64 of its own each


def test_the_ipv6_network_is_the_client():
    assert client_network("2001:db8:1:2:aaaa::1") == client_network("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert client_network("2001:db8:1:3::1") != client_network("2001:db8:1:2::1")
    assert client_network("198.51.100.7") == "198.51.100.7" != client_network("198.51.100.8")
    assert client_network("::ffff:198.51.100.7") == "198.51.100.7"
    assert client_network("unknown") == "unknown"


def test_300_requests_from_150_networks_write_the_cap_and_one_summary(app, client, storage_uri, monkeypatch):
    for n in range(300):
        response = client.post("/login", data={}, environ_base={"REMOTE_ADDR": network(n % 150)})
        assert response.status_code == 400
    rows = log_rows(app, category="security")
    assert [r["action"] for r in rows] == ["csrf_failure"] * CAP + ["security_events_capped"]
    assert rows[-1]["details"] == {"event": "csrf_failure", "limit": CAP, "per": "minute"}
    assert len({str(r["ip_address"]) for r in rows[:CAP]}) == CAP

    if storage_uri.startswith("memory"):  # a minute later (Redis keeps real time)
        monkeypatch.setattr(memory_storage, "time", LaterTime(61))
        client.post("/login", data={}, environ_base={"REMOTE_ADDR": "2001:db8:ffff::1"})
        later = log_rows(app, category="security", action="csrf_failure")
        assert len(later) == CAP + 1 and later[-1]["details"]["left_out"] == 150 - CAP - 1


def test_each_event_has_its_own_cap(app, client, factory):
    user = factory.user("customer")
    token = csrf_token(client, "/login")
    for n in range(CAP + 5):
        client.post("/login", data={}, environ_base={"REMOTE_ADDR": network(n)})
        client.post("/login", data={"email": user.email, "password": f"guess {n}", "csrf_token": token},
                    environ_base={"REMOTE_ADDR": network(n)})
    actions = [r["action"] for r in log_rows(app, category="security")]
    assert actions.count("csrf_failure") == actions.count("login_failed") == CAP
    capped = [r["details"]["event"] for r in log_rows(app, category="security", action="security_events_capped")]
    assert sorted(capped) == ["csrf_failure", "login_failed"]


def test_addresses_of_one_ipv6_network_are_one_client(app, client):
    for n in range(150):
        client.post("/login", data={}, environ_base={"REMOTE_ADDR": f"2001:db8:7:7::{n + 1:x}"})
    assert len(log_rows(app, category="security", action="csrf_failure")) == 1
