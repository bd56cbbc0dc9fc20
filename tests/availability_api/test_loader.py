"""Loading one day: a fixed small number of indexed queries, only that date's rows."""
from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from portal.domain.availability import PlannedSlot
from portal.extensions import db
from portal.slots.loading import NotFound, load_day, load_occupancies
from portal.slots.plan import DayPlan, answer
from tests.availability_api.helpers import KTM, MONDAY, NO_LIMIT, local, monday_stylist
from tests.helpers import slot_settings

UTC = timezone.utc


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)


@contextmanager
def statements(engine):
    """Every statement the engine sends (transaction control excluded, and the request
    counters that monitoring flushes after the response at most every few seconds)."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "slot_request_stats" in statement:
            return
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _history(factory, stylist, service, count: int) -> None:
    """`count` bookings spread over two years around MONDAY, plus holds."""
    start = local(MONDAY, 10) - timedelta(days=365)
    for i in range(count):
        factory.booking(stylist, service, start + timedelta(days=(730 * i) // max(count, 1)), 60)


def test_request_uses_at_most_five_queries_whatever_the_history(app, client, factory):
    stylist, service = monday_stylist(factory)
    slot_settings(app, enabled=False)  # the loader's own count (the cache adds its lookup)
    counts = []
    for extra in (0, 40):
        _history(factory, stylist, service, extra)
        ids = (str(stylist.user_id), str(service.id))
        with app.app_context(), statements(db.engine) as seen:
            response = client.get("/api/bookings/available-slots", query_string={
                "stylistId": ids[0], "serviceId": ids[1], "targetDate": MONDAY.isoformat()})
        assert response.status_code == 200 and len(response.json) == 15
        counts.append(len(seen))
    assert counts[0] == counts[1] <= 5
    assert counts[0] == 4  # offer, base rows, overrides, occupancies


def test_short_cuts_use_fewer_queries(app, factory):
    stylist, service = monday_stylist(factory)
    other = factory.service(duration=30)
    stylist_id, service_id, other_id = stylist.user_id, service.id, other.id
    with statements(db.engine) as seen:
        plan = load_day(db.session, stylist_id, other_id, MONDAY, 30).plan  # not offered
    assert plan.slots == () and len(seen) == 1
    with statements(db.engine) as seen:
        plan = load_day(db.session, stylist_id, service_id, MONDAY + timedelta(days=1), 30).plan
    assert plan.slots == () and len(seen) == 3  # Tuesday: no window, no occupancy query


def test_not_found_names_the_parameter(app, factory):
    stylist, service = monday_stylist(factory)
    with pytest.raises(NotFound) as missing:
        load_day(db.session, stylist.user_id, stylist.user_id, MONDAY, 30).plan
    assert missing.value.fields == {"serviceId": "not found"}
    with pytest.raises(NotFound) as missing:
        load_day(db.session, service.id, service.id, MONDAY, 30).plan
    assert missing.value.fields == {"stylistId": "not found"}


def test_occupancies_read_only_that_window(app, factory):
    stylist, service = monday_stylist(factory)
    lo, hi = local(MONDAY, 9), local(MONDAY, 17)
    inside = factory.booking(stylist, service, local(MONDAY, 12), 60)
    factory.booking(stylist, service, local(MONDAY, 17), 60)  # starts at hi: no overlap
    # occupying bookings never overlap (the database's rule, front-desk.md): the ones the
    # long booking would cover are holds, or lie before it
    factory.hold(stylist, service, local(MONDAY, 8), 60)  # ends at lo: no overlap
    factory.booking(stylist, service, local(MONDAY, 12) - timedelta(days=4), 60)
    factory.booking(stylist, service, local(MONDAY, 12) + timedelta(days=1), 60)
    factory.booking(stylist, service, local(MONDAY, 12), 60, status="no_show")
    long_one = factory.booking(stylist, service, lo - timedelta(days=3), 3 * 24 * 60 + 1)  # ends 09:01
    factory.hold(stylist, service, lo - timedelta(days=3), 3 * 24 * 60)  # ends exactly at lo
    overnight = factory.hold(stylist, service, lo - timedelta(hours=10), 11 * 60)
    factory.hold(stylist, service, local(MONDAY, 13), 30, status="expired")
    found = load_occupancies(db.session, stylist.user_id, lo, hi)
    assert sorted((o.kind, o.start, o.end) for o in found) == sorted([
        ("booking", inside.start_time, inside.end_time),
        ("booking", long_one.start_time, long_one.end_time),
        ("hold", overnight.start_time, overnight.end_time),
    ])
    assert [o.expires_at for o in found if o.kind == "hold"] == [overnight.expires_at]


def test_day_plan_json_round_trip_is_compact(app, factory):
    stylist, service = monday_stylist(factory, duration=30)
    factory.booking(stylist, service, local(MONDAY, 10), 30)
    expiry = datetime(2031, 1, 1, 0, 0, 0, 123457, tzinfo=UTC)  # microseconds survive the round trip
    factory.hold(stylist, service, local(MONDAY, 11), 30, expires_at=expiry)
    plan = load_day(db.session, stylist.user_id, service.id, MONDAY, 30).plan
    assert len(plan.slots) == 16
    data = plan.to_json()
    assert len(json.dumps(data, separators=(",", ":"))) <= 1536
    again = DayPlan.from_json(json.loads(json.dumps(data)))
    assert again == plan
    now = datetime(2030, 1, 1, tzinfo=UTC)
    assert answer(again, MONDAY, now, "UTC") == answer(plan, MONDAY, now, "UTC")
    assert sum(s.booked for s in again.slots) == 1
    assert [s.held_until for s in again.slots if s.held_until] == [expiry]
    assert all(type(v) is int for slot in data["s"] for v in slot if v is not None)
    empty = DayPlan("Asia/Kathmandu", 1, 0, 30, ())
    assert DayPlan.from_json(empty.to_json()) == empty
    with pytest.raises(ValueError):
        DayPlan.from_json({**data, "v": 99})


def test_answer_applies_request_time_rules():
    start = datetime(2030, 1, 7, 3, 15, tzinfo=UTC)
    slots = tuple(
        PlannedSlot(start + timedelta(minutes=30 * k), start + timedelta(minutes=30 * k + 60), False,
                    start if k == 1 else None)
        for k in range(4)
    )
    plan = DayPlan(KTM, 500, 1, 10, slots)
    early = answer(plan, MONDAY, datetime(2030, 1, 7, 2, 0, tzinfo=UTC), KTM)
    assert [s["status"] for s in early] == ["available", "reserved", "available", "available"]
    later = answer(plan, MONDAY, datetime(2030, 1, 7, 2, 30, tzinfo=UTC), KTM)  # 03:15Z < now + 1 h
    assert [(s["slotStartUtc"][11:16], s["status"]) for s in later] == [
        ("03:45", "reserved"), ("04:15", "available"), ("04:45", "available")]
    no_advance = DayPlan(KTM, 500, 0, 10, slots)
    expired = answer(no_advance, MONDAY, datetime(2030, 1, 7, 3, 16, tzinfo=UTC), KTM)  # hold ended 03:15
    assert [(s["slotStartUtc"][11:16], s["status"]) for s in expired] == [
        ("03:45", "available"), ("04:15", "available"), ("04:45", "available")]
    assert answer(plan, MONDAY, datetime(2029, 12, 27, 17, 0, tzinfo=UTC), KTM) == []  # beyond 10 days
    assert answer(plan, MONDAY, datetime(2030, 1, 7, 19, 0, tzinfo=UTC), KTM) == []  # already the 8th in KTM


@pytest.mark.postgresql_only
def test_each_loader_query_is_an_index_scan_on_postgresql(app, client, factory, engine_name):
    stylist, service = monday_stylist(factory)
    factory.override(stylist, MONDAY, start="10:00", end="12:00", priority=5)
    factory.override(None, MONDAY - timedelta(days=3), MONDAY + timedelta(days=3), start="09:00", end="16:00")
    slot_settings(app, enabled=False)  # the loader's queries (the cache's: tests/cache)
    ids = (str(stylist.user_id), str(service.id))
    with app.app_context(), statements(db.engine) as seen:
        assert client.get("/api/bookings/available-slots", query_string={
            "stylistId": ids[0], "serviceId": ids[1], "targetDate": MONDAY.isoformat()}).status_code == 200
    assert len(seen) == 4
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("SET enable_seqscan = off")
            for statement, parameters in seen:
                cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
                plan = json.dumps(cursor.fetchone()[0])
                assert "Seq Scan" not in plan, (statement, plan)
                assert "Index" in plan, (statement, plan)
        finally:
            connection.close()
