"""A desk booking's free times equal the public endpoint's available slots for that
stylist, service and day (front-desk.md: the same engine and cache), apart from the
documented difference: staff may book inside the min-advance window, never in the past."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import text

from portal.extensions import db
from portal.services.desk.desk_free_times import free_times
from tests.bookings.helpers import KTM, NO_LIMIT, get_slots
from tests.helpers import stamp

UTC = timezone.utc
NOW = datetime.now(UTC).replace(second=0, microsecond=0)

scenario = st.fixed_dictionaries({
    "ahead": st.integers(0, 3),
    "bookings": st.lists(st.tuples(st.integers(32, 80), st.integers(1, 8), st.sampled_from(
        ["confirmed", "pending", "in_progress", "cancelled", "completed", "no_show"])), max_size=5),
    "holds": st.lists(st.tuples(st.integers(32, 80), st.integers(1, 8), st.integers(-5, 5)), max_size=3),
    "buffer": st.sampled_from([0, 15, 30]),
    "advance": st.sampled_from([0, 2, 24]),
    "duration": st.sampled_from([30, 45, 60, 90]),
    "break": st.booleans(),
})


@pytest.fixture
def app_config():
    return {**NO_LIMIT}


@pytest.fixture(autouse=True)
def clock_at_now(clock):
    clock.at = NOW


def test_desk_free_times_equal_the_public_slots(app, client, factory, raw):
    stylist = factory.stylist(KTM)
    service = factory.service(duration=60)
    factory.offer(stylist, service)
    sid, vid = str(stylist.user_id), str(service.id)
    zone = ZoneInfo(KTM)

    @settings(max_examples=40, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(case=scenario)
    def check(case):
        for table in ("bookings", "booking_reservations", "stylist_schedules"):
            raw.execute(text(f"DELETE FROM {table}"))
        raw.execute(text("UPDATE stylist_profiles SET booking_buffer_minutes = :b WHERE user_id = :s"),
                    {"b": case["buffer"], "s": sid})
        raw.execute(text("UPDATE services SET duration_minutes = :m, min_advance_hours = :a WHERE id = :v"),
                    {"m": case["duration"], "a": case["advance"], "v": vid})
        day = NOW.astimezone(zone).date() + timedelta(days=case["ahead"])
        factory.schedule(stylist, day.isoweekday() % 7, "08:00", "20:00",
                         *(("13:00", "14:00") if case["break"] else (None, None)))
        midnight = datetime.combine(day, datetime.min.time(), zone)
        taken = []
        for q, length, status in case["bookings"]:
            if status in ("pending", "confirmed", "in_progress"):
                if any(a < q + length and q < b for a, b in taken):
                    continue
                taken.append((q, q + length))
            start = midnight + timedelta(minutes=15 * q)
            raw.execute(text("INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents,"
                             " status) VALUES (:s, :v, :a, :b, 0, :st)"),
                        {"s": sid, "v": vid, "a": stamp(raw, start),
                         "b": stamp(raw, start + timedelta(minutes=15 * length)), "st": status})
        for q, length, expiry in case["holds"]:
            start = midnight + timedelta(minutes=15 * q)
            raw.execute(text("INSERT INTO booking_reservations (stylist_user_id, service_id, start_time, end_time,"
                             " expires_at) VALUES (:s, :v, :a, :b, :e)"),
                        {"s": sid, "v": vid, "a": stamp(raw, start), "b": stamp(raw, start + timedelta(minutes=15 * length)),
                         "e": stamp(raw, NOW + timedelta(minutes=10 * expiry + 1))})
        public = {x["slotStartUtc"] for x in get_slots(client, stylist, service, day).get_json()
                  if x["status"] == "available"}
        with app.app_context():
            desk = [t.start for t in free_times(db.session, stylist.user_id, service.id, day, NOW)]
            db.session.remove()
        cutoff = NOW + timedelta(hours=case["advance"])
        as_text = {t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for t in desk if t >= cutoff}
        assert as_text == public
        assert all(t >= NOW for t in desk)  # inside min-advance for staff, never in the past

    check()
