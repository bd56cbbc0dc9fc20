"""One engine behind both: on randomized days (schedules, overrides at mixed priorities,
bookings in every status, holds live and expired, buffers, zones with DST, offers
switched off) the troubleshooter's "available" slots are exactly the slots endpoint's
`isAvailable` slots, and its statuses the endpoint's statuses — both read from the same
database at the same moment, the endpoint with its cache on."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from portal.extensions import db
from portal.models.bookings import BOOKING_STATUSES
from portal.services.appointments.troubleshooter import troubleshoot
from tests.bookings.helpers import NO_LIMIT, get_slots
from tests.helpers import stamp

UTC = timezone.utc
ZONES = ["Asia/Kathmandu", "America/New_York", "Europe/London", "Australia/Lord_Howe"]
DST_DAYS = {"America/New_York": date(2027, 3, 14), "Europe/London": date(2027, 3, 28),
            "Australia/Lord_Howe": date(2027, 4, 4), "Asia/Kathmandu": date(2027, 1, 4)}


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)


def _t(q: int) -> str:
    return f"{q // 4:02d}:{(q % 4) * 15:02d}"


scenario = st.fixed_dictionaries({
    "zone": st.sampled_from(ZONES),
    "day": st.sampled_from(["today", "tomorrow", "in2", "in2", "dst", "dst+1"]),
    "base": st.sampled_from([True, True, True, False]).flatmap(
        lambda on: st.tuples(st.integers(0, 40), st.integers(44, 92), st.booleans()) if on else st.none()),
    "overrides": st.lists(st.tuples(st.sampled_from([False, False, True]), st.booleans(), st.integers(0, 80), st.integers(1, 15),
                                    st.sampled_from([0, 10, 30, 50, 90, 100])), max_size=3),
    "bookings": st.lists(st.tuples(st.integers(0, 95), st.integers(1, 8), st.sampled_from(BOOKING_STATUSES)),
                         max_size=5),
    "holds": st.lists(st.tuples(st.integers(0, 95), st.integers(1, 8), st.integers(-5, 5)), max_size=3),
    "buffer": st.sampled_from([0, 15, 30]),
    "duration": st.sampled_from([30, 60, 90]),
    "advance": st.sampled_from([0, 2, 24]),
    "horizon": st.sampled_from([1, 2] + [200] * 6),
    "switched_off": st.sampled_from([None] * 9 + ["offer", "stylist", "service"]),
})


# One instant for the whole property (both the troubleshooter and the endpoint read
# `portal.clock`): the derandomized examples then meet the same days and hours on every
# run, so the verdicts they reach no longer depend on the time of day the suite runs.
NOW = datetime(2026, 12, 7, 4, 10, tzinfo=UTC)


def test_troubleshooter_available_equals_endpoint(app, client, factory, raw, clock):
    clock.at = NOW
    stylist = factory.stylist(user=factory.user("stylist", password=None))
    service = factory.service(duration=60)
    factory.offer(stylist, service)
    sid, vid = str(stylist.user_id), str(service.id)

    ran, seen = [], set()

    @settings(max_examples=100, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(case=scenario)
    def check(case):
        ran.append(1)
        now = clock()
        zone = ZoneInfo(case["zone"])
        today = now.astimezone(zone).date()
        day = {"today": today, "tomorrow": today + timedelta(days=1), "in2": today + timedelta(days=2),
               "dst": DST_DAYS[case["zone"]], "dst+1": DST_DAYS[case["zone"]] + timedelta(days=1)}[case["day"]]
        for table in ("bookings", "booking_reservations", "stylist_schedules", "schedule_overrides"):
            raw.execute(text(f"DELETE FROM {table}"))
        off = case["switched_off"]
        raw.execute(text("UPDATE stylist_profiles SET timezone = :z, booking_buffer_minutes = :b, is_active = :a,"
                         " deactivated_at = :d WHERE user_id = :s"),
                    {"z": case["zone"], "b": case["buffer"], "a": off != "stylist",
                     "d": stamp(raw, now) if off == "stylist" else None, "s": sid})
        raw.execute(text("UPDATE services SET duration_minutes = :m, min_advance_hours = :a, max_advance_days = :h,"
                         " is_active = :on WHERE id = :v"),
                    {"m": case["duration"], "a": case["advance"], "h": case["horizon"], "on": off != "service",
                     "v": vid})
        raw.execute(text("UPDATE stylist_services SET is_available = :on WHERE stylist_user_id = :s"),
                    {"on": off != "offer", "s": sid})
        if case["base"]:
            a, b, with_break = case["base"]
            factory.schedule(stylist, day.isoweekday() % 7, _t(a), _t(b),
                             *((_t(a + 8), _t(a + 12)) if with_break else (None, None)))
        for i, (closed, own, a, length, priority) in enumerate(case["overrides"]):
            factory.override(stylist if own else None, day - timedelta(days=i % 2), day, closed=closed,
                             start=None if closed else _t(a), end=None if closed else _t(min(a + length * 4, 95)),
                             priority=priority,
                             override_type="stylist_vacation" if closed and own else
                             "business_closure" if closed else "seasonal_hours")
        midnight = datetime.combine(day, time(), zone)
        taken = []  # occupying bookings never overlap (the database's rule, front-desk.md)
        for q, length, status in case["bookings"]:
            start = midnight + timedelta(minutes=15 * q)
            if status in ("pending", "confirmed", "in_progress"):
                if any(a < q + length and q < b for a, b in taken):
                    status = "cancelled"
                else:
                    taken.append((q, q + length))
            raw.execute(text("INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents,"
                             " status) VALUES (:s, :v, :a, :b, 0, :st)"),
                        {"s": sid, "v": vid, "a": stamp(raw, start),
                         "b": stamp(raw, start + timedelta(minutes=15 * length)), "st": status})
        for q, length, expiry in case["holds"]:
            start = midnight + timedelta(minutes=15 * q)
            raw.execute(text("INSERT INTO booking_reservations (stylist_user_id, service_id, start_time, end_time,"
                             " expires_at) VALUES (:s, :v, :a, :b, :e)"),
                        {"s": sid, "v": vid, "a": stamp(raw, start), "b": stamp(raw, start + timedelta(minutes=15 * length)),
                         "e": stamp(raw, now + timedelta(hours=expiry, minutes=7))})
        result = troubleshoot(db.session, stylist.user_id, service.id, day, 30)
        db.session.rollback()
        for _ in range(2):  # a miss, then (cache on) a hit
            response = get_slots(client, stylist, service, day)
            assert response.status_code == 200
            endpoint = [(s["slotStartUtc"], s["status"]) for s in response.json]
            mine = [(v.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), v.status)
                    for v in result.explanation.slots if v.status is not None]
            assert mine == endpoint
            assert ([t for t, s in mine if s == "available"]
                    == [s["slotStartUtc"] for s in response.json if s["isAvailable"]])
        assert all(line.reason and "_" not in line.reason for line in result.lines)
        seen.update(v.verdict for v in result.explanation.slots)

    check()
    assert len(ran) == 100
    # the randomized days reached every kind of verdict the engine gives
    assert {"available", "booked", "buffer", "held", "break", "outside_hours", "too_soon", "past_horizon"} <= seen
