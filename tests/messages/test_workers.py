"""Real worker processes (`flask --app wsgi worker`) against the local Sparrow server:
two at once, and one killed with SIGKILL mid-send (messages.md "Nothing lost, nothing
doubled"). The broker is Redis when TEST_REDIS_URL is set, else a SQLite file."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.actor import Actor
from portal.extensions import db
from portal.models import OutboundMessage
from portal.services.appointments.followup import cancel_bookings
from tests import databases
from tests.messages.conftest import sparrow_config

UTC = timezone.utc
ROOT = Path(__file__).resolve().parents[2]
COUNT = 24


@pytest.fixture
def broker(tmp_path):
    if databases.TEST_REDIS_URL:
        return databases.TEST_REDIS_URL
    return f"sqlite:///{tmp_path / 'queue.sqlite3'}"


@pytest.fixture
def app_config(sparrow, broker):
    return sparrow_config(sparrow, MESSAGE_LEASE_SECONDS=5, MESSAGE_SEND_TIMEOUT_SECONDS=4,
                          MESSAGE_RETRY_BASE_SECONDS=0.2, WORKER_BROKER_URL=broker)


def _worker(app, tmp_path, name: str, threads: int = 2) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update({"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test-secret",
                "PYTHONUNBUFFERED": "1"})
    for name_ in ("SMS_PROVIDER", "SPARROW_SMS_URL", "SPARROW_SMS_TOKEN", "SPARROW_SMS_FROM", "PUBLIC_BASE_URL",
                  "MESSAGE_LEASE_SECONDS", "MESSAGE_SEND_TIMEOUT_SECONDS", "MESSAGE_RETRY_BASE_SECONDS",
                  "MESSAGE_PAUSE_CHECK_SECONDS", "WORKER_BROKER_URL"):
        env[name_] = str(app.config[name_])
    env["QUIET_HOURS"] = "off"
    log = open(tmp_path / f"{name}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--threads", str(threads)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _queue(app, factory) -> None:
    stylist, service = factory.stylist(), factory.service(duration=30)
    factory.offer(stylist, service)
    start = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    bookings = [factory.booking(stylist, service, start + timedelta(minutes=30 * i), customer_name=f"C{i}",
                                customer_phone=f"+97798420000{i:02d}") for i in range(COUNT)]
    with app.app_context():
        cancel_bookings(db.session, Actor(None, "test"), [b.id for b in bookings], "closed")


def _wait_all_final(app, seconds: float = 60) -> list[OutboundMessage]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            rows = list(db.session.scalars(select(OutboundMessage)))
            db.session.expunge_all()
            db.session.remove()
        if rows and all(m.state not in ("queued", "sending") for m in rows):
            return rows
        time.sleep(0.2)
    pytest.fail("messages still waiting: " + str(Counter(m.state for m in rows)))


def _stop(*workers) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)
    for worker in workers:
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_two_workers_at_once_deliver_each_message_once(app, factory, sparrow, tmp_path):
    _queue(app, factory)
    workers = [_worker(app, tmp_path, "a"), _worker(app, tmp_path, "b")]
    try:
        rows = _wait_all_final(app)
    finally:
        _stop(*workers)
    assert Counter(m.state for m in rows) == {"sent": COUNT}
    assert sorted(Counter(r["to"] for r in sparrow.received).values()) == [1] * COUNT
    assert not any(m.maybe_twice for m in rows)


def test_a_worker_killed_mid_send_loses_nothing_and_doubles_at_most_the_in_flight_one(
        app, factory, sparrow, tmp_path):
    sparrow.script = [None] * 4 + [("hang", 3.0)]  # the 5th request hangs: the worker dies during it
    _queue(app, factory)
    first = _worker(app, tmp_path, "first", threads=1)  # one message in flight when it dies
    deadline = time.monotonic() + 30
    while len(sparrow.requests) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(sparrow.requests) >= 5
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    others = [_worker(app, tmp_path, "second"), _worker(app, tmp_path, "third")]
    try:
        rows = _wait_all_final(app)
    finally:
        _stop(*others)
    time.sleep(0.3)  # (shorter than the hang) nothing else is in flight now
    assert Counter(m.state for m in rows) == {"sent": COUNT}
    per_phone = Counter(r["to"] for r in sparrow.received)
    assert set(per_phone) == {f"98420000{i:02d}" for i in range(COUNT)}  # every message delivered
    doubled = [phone for phone, n in per_phone.items() if n > 1]
    assert len(doubled) <= 1 and all(n <= 2 for n in per_phone.values())
    marked = [m for m in rows if m.maybe_twice]
    assert len(marked) == 1 and marked[0].attempts == 2  # the in-flight one, marked
    if doubled:
        assert marked[0].recipient == "+977" + doubled[0]
