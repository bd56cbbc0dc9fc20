"""Freshness: a write by plain SQL on another connection, to any table the engine reads,
is reflected by the next request however warm the cache was (slots-api.md "The cache")."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.cache.salon import ask, build, hit, truth
from tests.helpers import stamp


def _warm(client, salon, **kw):
    ask(client, salon, **kw)
    response = ask(client, salon, **kw)
    assert hit(response), "the second request of a key is a hit"
    return response.get_json()


def _booking(raw, engine, salon, start, stylist=None, status="confirmed"):
    new_id = str(uuid.uuid4())
    raw.execute(text(
        "INSERT INTO bookings (id, stylist_user_id, service_id, start_time, end_time, price_cents, status)"
        " VALUES (:id, :st, :sv, :a, :b, 100, :status)"),
        {"id": new_id, "st": str(stylist or salon.sid), "sv": salon.vid, "a": stamp(engine, start),
         "b": stamp(engine, start + timedelta(hours=1)), "status": status})
    return new_id


def _hold(raw, engine, salon, start, expires=None):
    """A one-hour hold from `start`, expiring at `expires` (default: in 30 days)."""
    new_id = str(uuid.uuid4())
    raw.execute(text(
        "INSERT INTO booking_reservations (id, stylist_user_id, service_id, start_time, end_time, expires_at)"
        " VALUES (:id, :st, :sv, :a, :b, :x)"),
        {"id": new_id, "st": salon.sid, "sv": salon.vid, "a": stamp(engine, start),
         "b": stamp(engine, start + timedelta(hours=1)), "x": stamp(engine, expires or start + timedelta(days=30))})
    return new_id


def _override(raw, salon, stylist, closed=True, hours=None, day=None):
    new_id = str(uuid.uuid4())
    day = (day or salon.day).isoformat()
    raw.execute(text(
        "INSERT INTO schedule_overrides (id, override_type, applies_to_all_stylists, stylist_user_id,"
        " start_date, end_date, is_closed, override_start_time, override_end_time, priority)"
        " VALUES (:id, :kind, :everyone, :st, :d, :d, :closed, :a, :b, 50)"),
        {"id": new_id, "kind": "business_closure" if stylist is None else "special_event",
         "everyone": stylist is None, "st": stylist, "d": day, "closed": closed,
         "a": hours[0] if hours else None, "b": hours[1] if hours else None})
    return new_id


def _sql(statement, **fixed):
    return lambda r, e, s: r.execute(text(statement), {k: v(s) if callable(v) else v for k, v in fixed.items()})


SID, VID = (lambda s: s.sid), (lambda s: s.vid)

# table -> writes applied one after the other; each changes the day's answer
WRITES = {
    "bookings": [
        lambda r, e, s: setattr(s, "b1", _booking(r, e, s, s.at(10))),
        lambda r, e, s: r.execute(text("UPDATE bookings SET start_time = :a, end_time = :b WHERE id = :id"),
                                  {"id": s.pre, "a": stamp(e, s.at(14)), "b": stamp(e, s.at(15))}),
        _sql("UPDATE bookings SET status = 'cancelled' WHERE id = :id", id=lambda s: s.pre),
        _sql("DELETE FROM bookings WHERE id = :id", id=lambda s: s.b1),
    ],
    "booking_reservations": [
        lambda r, e, s: setattr(s, "h1", _hold(r, e, s, s.at(10))),
        _sql("UPDATE booking_reservations SET status = 'cancelled' WHERE id = :id", id=lambda s: s.pre_hold),
        _sql("DELETE FROM booking_reservations WHERE id = :id", id=lambda s: s.h1),
    ],
    "stylist_schedules": [
        _sql("UPDATE stylist_schedules SET end_time_local = '12:00:00' WHERE stylist_user_id = :st", st=SID),
        _sql("DELETE FROM stylist_schedules WHERE stylist_user_id = :st", st=SID),
    ],
    "schedule_overrides": [
        lambda r, e, s: setattr(s, "c1", _override(r, s, None)),  # business-wide closure
        _sql("UPDATE schedule_overrides SET is_closed = :f, override_start_time = '10:00:00',"
             " override_end_time = '12:00:00' WHERE id = :id", id=lambda s: s.c1, f=False),
        lambda r, e, s: setattr(s, "o1", _override(r, s, s.sid)),  # the stylist's own closure wins the tie
        _sql("DELETE FROM schedule_overrides WHERE id = :id", id=lambda s: s.o1),
        _sql("DELETE FROM schedule_overrides WHERE id = :id", id=lambda s: s.c1),
    ],
    "stylist_services": [
        _sql("UPDATE stylist_services SET custom_price_cents = 99 WHERE stylist_user_id = :st", st=SID),
        _sql("UPDATE stylist_services SET custom_duration_minutes = 120 WHERE stylist_user_id = :st", st=SID),
        _sql("DELETE FROM stylist_services WHERE stylist_user_id = :st", st=SID),
    ],
    "services": [
        _sql("UPDATE services SET base_price_cents = 5 WHERE id = :id", id=VID),
        _sql("UPDATE services SET is_active = :f WHERE id = :id", id=VID, f=False),
    ],
    "stylist_profiles": [
        _sql("UPDATE stylist_profiles SET booking_buffer_minutes = 60 WHERE user_id = :st", st=SID),
        lambda r, e, s: r.execute(
            text("UPDATE stylist_profiles SET is_active = :f, deactivated_at = :now WHERE user_id = :st"),
            {"st": s.sid, "f": False, "now": stamp(e, s.at(0))}),
    ],
}


@pytest.mark.parametrize("table", list(WRITES))
def test_a_raw_write_is_reflected_however_warm(app, client, factory, raw, engine_name, table):
    salon = build(factory)
    salon.pre = _booking(raw, engine_name, salon, salon.at(12))
    salon.pre_hold = _hold(raw, engine_name, salon, salon.at(15))
    for number, write in enumerate(WRITES[table]):
        before = _warm(client, salon)
        write(raw, engine_name, salon)
        expected = truth(app, salon)
        assert expected != before, f"write {number} on {table} changes the day's slots"
        response = ask(client, salon)
        assert response.get_json() == expected, f"write {number} on {table}"
        assert not hit(response)


def test_a_booking_moved_to_another_stylist_and_date_refreshes_all_four_keys(app, client, factory, raw,
                                                                            engine_name):
    salon = build(factory)
    later = salon.day + timedelta(days=1)
    booking = _booking(raw, engine_name, salon, salon.at(10))
    keys = [dict(stylist=who, day=d) for who in (salon.sid, salon.oid) for d in (salon.day, later)]
    for key in keys:
        _warm(client, salon, **key)
    raw.execute(text("UPDATE bookings SET stylist_user_id = :o, start_time = :a, end_time = :b WHERE id = :id"),
                {"o": salon.oid, "a": stamp(engine_name, salon.at(10, day=later)),
                 "b": stamp(engine_name, salon.at(11, day=later)), "id": booking})
    for key in keys:
        assert ask(client, salon, **key).get_json() == truth(app, salon, **key)
    statuses = {r["slotDisplay"]: r["status"] for r in ask(client, salon, stylist=salon.oid,
                                                             day=later).get_json()}
    assert statuses["10:00 AM"] == "booked"
    assert {r["status"] for r in ask(client, salon).get_json()} == {"available"}


def test_an_override_moved_between_stylists_refreshes_both(app, client, factory, raw, engine_name):
    salon = build(factory)
    row = _override(raw, salon, salon.sid)
    other = salon.oid
    _warm(client, salon)
    _warm(client, salon, stylist=other)
    raw.execute(text("UPDATE schedule_overrides SET stylist_user_id = :o WHERE id = :id"), {"o": other, "id": row})
    assert ask(client, salon).get_json() == truth(app, salon) != []
    assert ask(client, salon, stylist=other).get_json() == [] == truth(app, salon, stylist=other)


@pytest.mark.postgresql_only
def test_truncate_counts_too(app, client, factory, raw, engine_name):
    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(10))
    _hold(raw, engine_name, salon, salon.at(12))
    _override(raw, salon, salon.sid, closed=False, hours=("09:00:00", "16:00:00"))
    for table in ("bookings", "booking_reservations", "schedule_overrides", "stylist_schedules"):
        before = _warm(client, salon)
        raw.execute(text(f"TRUNCATE {table} CASCADE"))  # time-off requests refer to their vacation
        expected = truth(app, salon)
        assert expected != before, table
        assert ask(client, salon).get_json() == expected, table


def test_generation_rows_are_never_removed(app, raw, factory, engine_name):
    build(factory)
    table = raw.private("availability_generation")
    assert raw.execute(text(f"SELECT count(*) FROM {table}")).scalar() > 0
    with pytest.raises(Exception, match="never removed"):
        raw.execute(text(f"DELETE FROM {table}"))


def test_one_statement_over_many_rows_of_two_stylists_refreshes_both(app, client, factory, raw, engine_name):
    salon = build(factory)
    for who in (salon.sid, salon.oid):
        for hour in (9, 11, 13):
            _booking(raw, engine_name, salon, salon.at(hour), stylist=who)
        _warm(client, salon, stylist=who)
    raw.execute(text("UPDATE bookings SET status = 'cancelled' WHERE stylist_user_id IN (:a, :b)"),
                {"a": salon.sid, "b": salon.oid})
    for who in (salon.sid, salon.oid):
        response = ask(client, salon, stylist=who)
        assert not hit(response)
        assert {r["status"] for r in response.get_json()} == {"available"}
