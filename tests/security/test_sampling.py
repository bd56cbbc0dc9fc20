"""Security events an anonymous client can cause are sampled: at most one row per
(event, client IP) per minute, the rest counted in `repeats` on the next row."""
from __future__ import annotations

import time as real_time

import limits.storage.memory as memory_storage

from tests.audit_trail import log_rows


class LaterTime:
    """`time` as the limiter's memory storage sees it, `offset` seconds later."""

    def __init__(self, offset: float):
        self.offset = offset

    def time(self) -> float:
        return real_time.time() + self.offset

    def __getattr__(self, name):
        return getattr(real_time, name)


def test_300_csrf_failures_leave_one_row_then_a_repeats_count(app, client, monkeypatch):
    for _ in range(300):
        assert client.post("/login", data={"email": "x@example.test", "password": "y"}).status_code == 400
    rows = log_rows(app, category="security", action="csrf_failure")
    assert len(rows) == 1 and "repeats" not in rows[0]["details"]
    assert log_rows(app, category="security", action="login_failed") == []  # never reached the check

    monkeypatch.setattr(memory_storage, "time", LaterTime(61))  # a minute later
    assert client.post("/login", data={}).status_code == 400
    rows = log_rows(app, category="security", action="csrf_failure")
    assert len(rows) == 2 and rows[1]["details"]["repeats"] == 299


def test_each_event_kind_and_address_is_sampled_separately(app, client, factory):
    admin = factory.user("admin")
    other = app.test_client()
    for _ in range(20):
        client.post("/login", data={})
        other.post("/logout", data={}, environ_base={"REMOTE_ADDR": "198.51.100.9"})
    from tests.web import AuthActions

    for n in range(3):
        AuthActions(client).login(admin.email, f"wrong guess {n}")
    by_kind = {(r["action"], str(r["ip_address"])) for r in log_rows(app, category="security")}
    assert by_kind == {("csrf_failure", "127.0.0.1"), ("csrf_failure", "198.51.100.9"), ("login_failed", "127.0.0.1")}
    assert len(log_rows(app, category="security")) == 3
