"""Concurrency: stampede protection, unrelated keys never wait, writers vs readers."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from tests.cache.salon import URL, build
from tests.helpers import stamp


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
    """Writers on two neighbouring dates, readers alternating between them."""
    salon = build(factory)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    lock = threading.Lock()
    later = salon.day + timedelta(days=1)
    # per writer slot (date, hour): committed states ("booked"/"available"), recorded after COMMIT returns
    slots = [(salon.day, 10), (salon.day, 12), (salon.day, 14), (later, 12)]
    history = {s: ["available"] for s in slots}
    stop = threading.Event()
    checks, misses, errors, requests = [0], [], [], [0]

    # a write is "pending" from just before its statement until its new state is recorded:
    # its commit may become visible at any moment in between (the writer thread can be
    # descheduled right after COMMIT returns), so readers check only slots with no write
    # pending at the start or the end of their request and none recorded during it
    pending = {s: False for s in slots}

    def write(conn, slot, statement, values, state):
        with lock:
            pending[slot] = True
        result = conn.execute(text(statement), values)
        with lock:
            history[slot].append(state)
            pending[slot] = False
        return result

    def writer(slot):
        day, hour = slot
        with engine.connect() as conn:
            for _ in range(10):
                row = write(conn, slot,
                            "INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents)"
                            " VALUES (:st, :sv, :a, :b, 1) RETURNING id",
                            {"st": salon.sid, "sv": salon.vid, "a": stamp("postgresql", salon.at(hour, day=day)),
                             "b": stamp("postgresql", salon.at(hour + 1, day=day))}, "booked").scalar()
                time.sleep(0.12)
                write(conn, slot, "UPDATE bookings SET status = 'cancelled' WHERE id = :id", {"id": row},
                      "available")
                time.sleep(0.12)

    def reader(n):
        client = app.test_client()
        while not stop.is_set():
            n += 1
            day = (salon.day, later)[n % 2]
            mine = [s for s in slots if s[0] == day]
            with lock:
                seen = {s: len(history[s]) for s in mine}
                state = {s: history[s][-1] for s in mine}
                quiet = {s for s in mine if not pending[s]}
            response = client.get(URL, query_string=_query(salon, day))
            requests[0] += 1
            if response.status_code != 200:
                errors.append(response.status_code)
                continue
            statuses = {r["slotStartUtc"]: r["status"] for r in response.get_json()}
            with lock:  # no write pending or recorded while the request ran
                settled = [s for s in quiet if not pending[s] and len(history[s]) == seen[s]]
            for slot in settled:
                key = salon.at(slot[1], day=slot[0]).strftime("%Y-%m-%dT%H:%M:%SZ")
                checks[0] += 1
                if statuses[key] != state[slot]:
                    misses.append((slot, state[slot], statuses[key]))

    readers = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    writers = [threading.Thread(target=writer, args=(s,)) for s in slots]
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
