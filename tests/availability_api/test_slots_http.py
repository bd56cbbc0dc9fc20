"""availability.md's worked examples and slots-api.md's 200 answer, through HTTP."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from tests.availability_api.helpers import (
    FAR, KTM, MONDAY, NO_LIMIT, by_start, get_slots, local, monday_stylist, new_stylist, starts,
)
from tests.helpers import stamp

UTC = timezone.utc


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)


def test_example_1_plain_day_and_the_exact_body(client, factory):
    stylist, service = monday_stylist(factory)
    response = get_slots(client, stylist, service, MONDAY)
    assert response.status_code == 200
    body = response.json
    assert [s["slotStartLocal"][11:16] for s in body] == [
        f"{h:02d}:{m:02d}" for h in range(9, 17) for m in (0, 30)][:15]
    assert body[0] == {
        "slotStartUtc": "2030-01-07T03:15:00Z", "slotEndUtc": "2030-01-07T04:15:00Z",
        "slotStartLocal": "2030-01-07T09:00:00+05:45",
        # The spec's table says 10:15 here; 04:15Z is 10:00 in Kathmandu (a typo there).
        "slotEndLocal": "2030-01-07T10:00:00+05:45",
        "slotDisplay": "09:00 AM", "status": "available", "isAvailable": True, "priceCents": 150000,
    }
    assert body[-1]["slotStartLocal"] == "2030-01-07T16:00:00+05:45"
    assert body[-1]["slotDisplay"] == "04:00 PM"
    # customerTimezone changes only the rendering
    utc = get_slots(client, stylist, service, MONDAY, "UTC").json
    assert [s["slotStartUtc"] for s in body] == [s["slotStartUtc"] for s in utc]
    assert utc[0]["slotStartLocal"] == "2030-01-07T03:15:00+00:00"
    assert utc[0]["slotDisplay"] == "03:15 AM"


def test_headers_on_every_200(client, factory):
    stylist, service = monday_stylist(factory)
    response = get_slots(client, stylist, service, MONDAY)
    assert response.headers["Cache-Control"] == "no-store, no-cache, must-revalidate, max-age=0"
    assert response.headers["Pragma"] == "no-cache"
    assert response.headers["Expires"] == "0"
    assert response.headers["X-Cache-Hit"] == "false"
    assert response.headers["X-Cached"] == "false"
    computed = datetime.fromisoformat(response.headers["X-Computed-At"].replace("Z", "+00:00"))
    assert response.headers["X-Computed-At"].endswith("Z")
    assert abs(datetime.now(UTC) - computed) < timedelta(minutes=5)
    assert response.mimetype == "application/json"
    empty = get_slots(client, stylist, service, MONDAY + timedelta(days=1))  # Tuesday: day off
    assert empty.status_code == 200 and empty.json == []
    assert empty.headers["X-Cache-Hit"] == "false" and empty.headers["Pragma"] == "no-cache"
    params = {"stylistId": str(stylist.user_id), "serviceId": str(service.id), "targetDate": "2030-01-07"}
    head = client.head("/api/bookings/available-slots", query_string=params)
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["X-Cache-Hit"] == "true"  # the GET above stored the entry (the cache, issue 4)


def test_example_2_booking_and_buffer(client, factory):
    stylist, service = monday_stylist(factory)
    factory.booking(stylist, service, local(MONDAY, 10), 60)
    status = by_start(get_slots(client, stylist, service, MONDAY))
    assert [status[t] for t in ("09:00", "09:30", "10:00", "10:30", "11:00")] == [
        "available", "booked", "booked", "booked", "available"]

    buffered, service2 = monday_stylist(factory, buffer=15)
    factory.booking(buffered, service2, local(MONDAY, 10), 60)
    status = by_start(get_slots(client, buffered, service2, MONDAY))
    assert [status[t] for t in ("09:00", "11:00", "11:30")] == [
        "booked", "booked", "available"]


def test_example_3_break(client, factory):
    stylist, service = monday_stylist(factory, break_start="13:00", break_end="14:00")
    got = starts(get_slots(client, stylist, service, MONDAY))
    assert "12:00" in got and "14:00" in got
    assert not {"12:30", "13:00", "13:30"} & set(got)


def test_example_4_closure_and_winning_special_event(client, factory):
    stylist, service = monday_stylist(factory)
    factory.override(None, MONDAY, closed=True, override_type="business_closure", priority=100)
    assert starts(get_slots(client, stylist, service, MONDAY)) == []
    factory.override(stylist, MONDAY, override_type="special_event", start="10:00", end="12:00", priority=100)
    assert starts(get_slots(client, stylist, service, MONDAY)) == ["10:00", "10:30", "11:00"]


def test_example_5_seasonal_hours(client, factory):
    stylist, service = monday_stylist(factory)
    factory.override(None, date(2030, 1, 1), date(2030, 1, 31), override_type="seasonal_hours",
                     start="10:00", end="15:00", priority=10)
    for monday in (date(2030, 1, 7), date(2030, 1, 14), date(2030, 1, 28)):
        got = starts(get_slots(client, stylist, service, monday))
        assert got == ["10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00", "13:30", "14:00"]
    assert starts(get_slots(client, stylist, service, date(2030, 1, 6))) == []  # Sunday, no base row


def test_example_6_dst_new_york(client, factory):
    stylist = new_stylist(factory, "America/New_York")
    service = factory.service(duration=60, min_advance_hours=0, max_advance_days=FAR)
    factory.offer(stylist, service)
    factory.schedule(stylist, 0, "01:00", "05:00")
    response = get_slots(client, stylist, service, date(2027, 3, 14), "America/New_York")
    assert response.status_code == 200
    assert [s["slotStartUtc"][11:16] for s in response.json] == ["06:00", "06:30", "07:00", "07:30", "08:00"]
    assert [s["slotDisplay"] for s in response.json] == [
        "01:00 AM", "01:30 AM", "03:00 AM", "03:30 AM", "04:00 AM"]
    assert response.json[2]["slotStartLocal"] == "2027-03-14T03:00:00-04:00"
    assert response.json[0]["slotStartLocal"] == "2027-03-14T01:00:00-05:00"


def test_only_offered_available_active_services_and_stylists_have_slots_at_the_offer_price(client, factory, raw):
    stylist, service = monday_stylist(factory)
    other = factory.service(duration=30, price=999, min_advance_hours=0, max_advance_days=FAR)
    assert get_slots(client, stylist, other, MONDAY).json == []  # not offered
    factory.offer(stylist, other, custom_price_cents=5000, custom_duration_minutes=90)
    body = get_slots(client, stylist, other, MONDAY).json
    assert body[0]["priceCents"] == 5000
    assert body[0]["slotEndLocal"] == "2030-01-07T10:30:00+05:45"  # 90 minutes
    assert len(body) == 14  # 09:00 … 15:30

    raw.execute(text("UPDATE stylist_services SET is_available = false WHERE service_id = :v"),
                {"v": str(other.id)})
    assert get_slots(client, stylist, other, MONDAY).json == []
    raw.execute(text("UPDATE services SET is_active = false WHERE id = :v"), {"v": str(service.id)})
    assert get_slots(client, stylist, service, MONDAY).json == []
    raw.execute(text("UPDATE services SET is_active = true WHERE id = :v"), {"v": str(service.id)})
    assert len(get_slots(client, stylist, service, MONDAY).json) == 15
    # A zone zoneinfo cannot load, written by another client: no slots, not a 500.
    raw.execute(text("UPDATE stylist_profiles SET timezone = 'Mars/Olympus' WHERE user_id = :s"),
                {"s": str(stylist.user_id)})
    broken = get_slots(client, stylist, service, MONDAY)
    assert broken.status_code == 200 and broken.json == []
    raw.execute(text("UPDATE stylist_profiles SET timezone = 'Asia/Kathmandu' WHERE user_id = :s"),
                {"s": str(stylist.user_id)})
    assert len(get_slots(client, stylist, service, MONDAY).json) == 15
    raw.execute(text("UPDATE stylist_profiles SET is_active = false, deactivated_at = :t WHERE user_id = :s"),
                {"s": str(stylist.user_id), "t": stamp(raw, datetime.now(UTC))})
    assert get_slots(client, stylist, service, MONDAY).json == []


def test_horizon_and_min_advance_use_the_real_clock(client, factory):
    stylist = new_stylist(factory)
    service = factory.service(duration=60, min_advance_hours=0, max_advance_days=5)
    factory.offer(stylist, service)
    factory.week(stylist, "00:00", "23:59")
    today = datetime.now(UTC).astimezone(__import__("zoneinfo").ZoneInfo(KTM)).date()
    assert get_slots(client, stylist, service, today - timedelta(days=1)).json == []
    assert get_slots(client, stylist, service, today + timedelta(days=6)).json == []
    assert len(get_slots(client, stylist, service, today + timedelta(days=5)).json) == 46
    now = datetime.now(UTC)
    todays = get_slots(client, stylist, service, today).json
    assert all(datetime.fromisoformat(s["slotStartUtc"].replace("Z", "+00:00")) >= now - timedelta(seconds=5)
               for s in todays)

    later = factory.service(duration=60, min_advance_hours=48, max_advance_days=30)
    factory.offer(stylist, later)
    assert get_slots(client, stylist, later, today).json == []
    first = get_slots(client, stylist, later, today + timedelta(days=3)).json[0]
    assert datetime.fromisoformat(first["slotStartUtc"].replace("Z", "+00:00")) >= now + timedelta(hours=48) - timedelta(seconds=5)


def _insert_booking(raw, stylist, service, start, minutes=60, status="confirmed"):
    raw.execute(text(
        "INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents, status)"
        " VALUES (:s, :v, :a, :b, 0, :status)"
    ), {"s": str(stylist.user_id), "v": str(service.id), "a": stamp(raw, start),
        "b": stamp(raw, start + timedelta(minutes=minutes)), "status": status})


def _insert_hold(raw, stylist, service, start, minutes=60, status=None, expires_at=None):
    columns, values = ["stylist_user_id", "service_id", "start_time", "end_time"], [":s", ":v", ":a", ":b"]
    params = {"s": str(stylist.user_id), "v": str(service.id), "a": stamp(raw, start),
              "b": stamp(raw, start + timedelta(minutes=minutes))}
    if status:
        columns.append("status"); values.append(":status"); params["status"] = status
    if expires_at:
        columns.append("expires_at"); values.append(":e"); params["e"] = stamp(raw, expires_at)
    raw.execute(text(f"INSERT INTO booking_reservations ({', '.join(columns)}) VALUES ({', '.join(values)})"), params)


def test_rows_written_with_plain_sql_change_the_answer(client, factory, raw):
    stylist, service = monday_stylist(factory)
    other_service = factory.service(duration=30, min_advance_hours=0, max_advance_days=FAR)
    other_stylist, _ = monday_stylist(factory)

    _insert_booking(raw, stylist, service, local(MONDAY, 9), status="pending")
    _insert_booking(raw, stylist, other_service, local(MONDAY, 11), status="in_progress")
    _insert_booking(raw, stylist, service, local(MONDAY, 13), status="cancelled")
    _insert_booking(raw, stylist, service, local(MONDAY, 14), status="completed")
    _insert_booking(raw, other_stylist, service, local(MONDAY, 15))
    _insert_hold(raw, stylist, other_service, local(MONDAY, 16))  # default: reserved, +15 min
    status = by_start(get_slots(client, stylist, service, MONDAY))
    assert status["09:00"] == "booked" and status["09:30"] == "booked"
    assert status["10:00"] == "available"
    assert status["11:00"] == "booked" and status["10:30"] == "booked"  # another service of S
    assert status["13:00"] == "available"  # cancelled booking
    assert status["14:00"] == "available"  # completed booking does not occupy
    assert status["15:00"] == "available"  # another stylist's booking
    assert status["16:00"] == "reserved" and status["15:30"] == "reserved"  # hold, another service
    assert get_slots(client, stylist, service, MONDAY).json[0]["isAvailable"] is False


def test_expired_or_cancelled_holds_do_not_block(client, factory, raw):
    stylist, service = monday_stylist(factory)
    now = datetime.now(UTC)
    _insert_hold(raw, stylist, service, local(MONDAY, 9), expires_at=now - timedelta(seconds=1))
    _insert_hold(raw, stylist, service, local(MONDAY, 11), status="cancelled")
    _insert_hold(raw, stylist, service, local(MONDAY, 13), status="expired", expires_at=now + timedelta(hours=1))
    _insert_hold(raw, stylist, service, local(MONDAY, 15), status="confirmed", expires_at=now + timedelta(hours=1))
    status = by_start(get_slots(client, stylist, service, MONDAY))
    assert set(status.values()) == {"available"}
    _insert_hold(raw, stylist, service, local(MONDAY, 9), expires_at=now + timedelta(minutes=10))
    status = by_start(get_slots(client, stylist, service, MONDAY))
    assert status["09:00"] == "reserved" and status["09:30"] == "reserved" and status["10:00"] == "available"
    # A booking wins over a hold on the same slot.
    _insert_booking(raw, stylist, service, local(MONDAY, 9, 30), 30)
    assert by_start(get_slots(client, stylist, service, MONDAY))["09:00"] == "booked"


def test_occupancies_longer_than_a_day_and_across_midnight(client, factory, raw):
    stylist, service = monday_stylist(factory)
    # A three-day hold of the chair written by hand, starting two days before D.
    _insert_booking(raw, stylist, service, local(MONDAY, 12) - timedelta(days=2), minutes=2 * 24 * 60 + 30)
    status = by_start(get_slots(client, stylist, service, MONDAY))
    assert status["09:00"] == "booked" and status["11:30"] == "booked" and status["12:30"] == "available"
    # One from the evening before reaching into the morning.
    tuesday = MONDAY + timedelta(days=7)
    _insert_booking(raw, stylist, service, local(tuesday, 21) - timedelta(days=1), minutes=13 * 60)
    status = by_start(get_slots(client, stylist, service, tuesday))
    assert status["09:00"] == "booked" and status["09:30"] == "booked" and status["10:00"] == "available"
