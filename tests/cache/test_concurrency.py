"""Concurrency: stampede protection, unrelated keys never wait, writers vs readers."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from tests.cache.salon import URL, build, ts


def _query(salon, day=None):
    return {"stylistId": salon.sid, "serviceId": salon.vid, "targetDate": (day or salon.day).isoformat()}


@pytest.mark.postgresql_only
def test_twenty_concurrent_misses_on_one_cold_key_compute_once(app, factory, computations):
    salon = build(factory)
    computations.after = lambda: time.sleep(0.3)  # keep the first computation in flight
    before = computations.count
    start = threading.Barrier(20)
    results = []

    def request():
        client = app.test_client()
        start.wait()
        response = client.get(URL, query_string=_query(salon))
        results.append((response.status_code, response.headers["X-Cache-Hit"], response.get_data()))

    threads = [threading.Thread(target=request) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 20 and {r[0] for r in results} == {200}
    assert computations.count - before == 1
    assert sorted(r[1] for r in results) == ["false"] + ["true"] * 19
    assert len({r[2] for r in results}) == 1


def test_a_miss_never_waits_on_an_unrelated_key(app, factory, computations):
    salon = build(factory)
    release, paused = threading.Event(), threading.Event()

    def hold_key_a():
        if threading.current_thread().name == "key-a":
            paused.set()
            assert release.wait(30)

    computations.after = hold_key_a
    outcome = {}

    def ask_a():
        outcome["a"] = app.test_client().get(URL, query_string=_query(salon)).status_code

    thread = threading.Thread(target=ask_a, name="key-a")
    thread.start()
    try:
        assert paused.wait(30)
        other_day = app.test_client().get(URL, query_string=_query(salon, salon.day + timedelta(days=1)))
        assert other_day.status_code == 200 and other_day.headers["X-Cache-Hit"] == "false"
        assert "a" not in outcome, "key A was still being computed while key B was answered"
    finally:
        release.set()
        thread.join(30)
    assert outcome["a"] == 200


@pytest.mark.postgresql_only
def test_writers_and_readers_every_request_after_a_commit_reflects_it(app, factory):
    salon = build(factory)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    lock = threading.Lock()
    # per writer slot: list of committed states ("booked"/"available"), appended after COMMIT returns
    hours = (10, 12, 14)
    history = {h: ["available"] for h in hours}
    stop = threading.Event()
    checks, misses, errors, requests = [0], [], [], [0]
    query = _query(salon)

    def writer(hour):
        with engine.connect() as conn:
            for _ in range(10):
                row = conn.execute(text(
                    "INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents)"
                    " VALUES (:st, :sv, :a, :b, 1) RETURNING id"),
                    {"st": salon.sid, "sv": salon.vid, "a": ts("postgresql", salon.at(hour)),
                     "b": ts("postgresql", salon.at(hour + 1))}).scalar()
                with lock:
                    history[hour].append("booked")
                time.sleep(0.12)
                conn.execute(text("UPDATE bookings SET status = 'cancelled' WHERE id = :id"), {"id": row})
                with lock:
                    history[hour].append("available")
                time.sleep(0.12)

    def reader():
        client = app.test_client()
        while not stop.is_set():
            with lock:
                seen = {h: len(v) for h, v in history.items()}
                state = {h: v[-1] for h, v in history.items()}
            response = client.get(URL, query_string=query)
            requests[0] += 1
            if response.status_code != 200:
                errors.append(response.status_code)
                continue
            statuses = {r["slotStartUtc"]: r["status"] for r in response.get_json()}
            with lock:
                settled = [h for h in hours if len(history[h]) == seen[h]]  # no commit during the request
            for h in settled:
                key = salon.at(h).strftime("%Y-%m-%dT%H:%M:%SZ")
                checks[0] += 1
                if statuses[key] != state[h]:
                    misses.append((h, state[h], statuses[key]))

    readers = [threading.Thread(target=reader) for _ in range(3)]
    writers = [threading.Thread(target=writer, args=(h,)) for h in hours]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join(120)
    stop.set()
    for thread in readers:
        thread.join(60)
    engine.dispose()
    assert not errors
    assert checks[0] >= 30, (checks, requests)
    assert misses == []
