"""Property: what the loader reads gives exactly the slots the engine computes from
*all* of the stylist's rows — the SQL window never drops a conflicting row (of any
length, from any earlier day) nor adds one."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from portal.domain.availability import BaseRow, Occupancy, day_window, plan_day
from portal.extensions import db
from portal.models.bookings import BOOKING_STATUSES, HOLD_STATUSES, OCCUPYING_BOOKING_STATUSES
from portal.slots.loading import load_day
from tests.availability_api.helpers import KTM, MONDAY, NO_LIMIT, local, monday_stylist
from tests.helpers import stamp

UTC = timezone.utc
QUARTER = timedelta(minutes=15)
ORIGIN = local(MONDAY, 0)  # midnight of D in Kathmandu
T0 = datetime(2030, 1, 7, 6, tzinfo=UTC)  # a reference for hold expiry

_anywhere = st.tuples(
    st.integers(-4 * 96, 2 * 96),  # start: quarters from D's local midnight (4 days before … 2 after)
    st.integers(1, 3 * 96),  # length in quarters (up to three days)
)
# Rows starting up to a day before the window (09:00 = quarter 36) and reaching into it:
# the boundary between the loader's "recent" and "long" branches.
_reaching_in = st.integers(36 - 100, 36).flatmap(
    lambda start: st.tuples(st.just(start), st.integers(max(1, 35 - start), 100))
)
rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["booking", "hold"]),
        _anywhere | _reaching_in,
        st.integers(0, 5),  # status index
        st.integers(-8, 8),  # hold expiry: hours from T0
    ),
    max_size=6,
)


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)


def test_loader_agrees_with_the_engine_on_random_rows(app, factory, raw):
    stylist, service = monday_stylist(factory, buffer=15)
    stylist_id, service_id = stylist.user_id, service.id
    base = [BaseRow(day_of_week=1, start=time(9), end=time(17))]
    window = day_window(MONDAY, base, [])

    @settings(max_examples=30, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(rows=rows_strategy)
    def check(rows):
        raw.execute(text("DELETE FROM bookings"))
        raw.execute(text("DELETE FROM booking_reservations"))
        expected = []
        for kind, (start_q, length_q), status_i, expiry_h in rows:
            start = ORIGIN + start_q * QUARTER
            end = start + length_q * QUARTER
            params = {"s": str(stylist_id), "v": str(service_id), "a": stamp(raw, start), "b": stamp(raw, end)}
            if kind == "booking":
                status = BOOKING_STATUSES[status_i % len(BOOKING_STATUSES)]
                if status in OCCUPYING_BOOKING_STATUSES and any(
                        o.start < end and start < o.end for o in expected if o.kind == "booking"):
                    status = "cancelled"  # occupying bookings never overlap (the database's rule, front-desk.md)
                raw.execute(text(
                    "INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents, status)"
                    " VALUES (:s, :v, :a, :b, 0, :st)"), {**params, "st": status})
                if status in OCCUPYING_BOOKING_STATUSES:
                    expected.append(Occupancy(start, end, "booking"))
            else:
                status = HOLD_STATUSES[status_i % len(HOLD_STATUSES)]
                expires = T0 + timedelta(hours=expiry_h)
                raw.execute(text(
                    "INSERT INTO booking_reservations (stylist_user_id, service_id, start_time, end_time, status,"
                    " expires_at) VALUES (:s, :v, :a, :b, :st, :e)"), {**params, "st": status, "e": stamp(raw, expires)})
                if status == "reserved":
                    expected.append(Occupancy(start, end, "hold", expires))
        plan = load_day(db.session, stylist_id, service_id, MONDAY, 30).plan
        db.session.rollback()
        assert list(plan.slots) == plan_day(MONDAY, KTM, window, 60, 15, expected, 30)

    check()
