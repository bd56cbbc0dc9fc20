"""Example tests for the availability engine (shared/spec/availability.md)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from portal.domain.availability import (
    BaseRow,
    Occupancy,
    OverrideRow,
    PlannedSlot,
    Slot,
    base_row_for,
    compute_slots,
    day_window,
    is_bookable_date,
    local_instant,
    plan_day,
       resolve_overrides,
    resolve_slots,
)
from portal.slots.plan import render_slot

UTC = timezone.utc
KTM = "Asia/Kathmandu"
NY = "America/New_York"
MONDAY = date(2030, 1, 7)
NOW = datetime(2030, 1, 1, tzinfo=UTC)
MON_9_17 = BaseRow(day_of_week=1, start=time(9), end=time(17))
T0 = datetime(2029, 12, 1, tzinfo=UTC)


def ktm(hh: int, mm: int = 0, day: date = MONDAY) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=ZoneInfo(KTM))


def ov(id="00000000-0000-0000-0000-000000000001", *, kind="seasonal_hours", specific=False,
       start_date=MONDAY, end_date=MONDAY, closed=False, hours=(time(10), time(15)),
       priority=10, created_at=T0, reason=None) -> OverrideRow:
    return OverrideRow(
        id=id, override_type=kind, is_stylist_specific=specific,
        start_date=start_date, end_date=end_date, is_closed=closed,
        start=None if closed else hours[0], end=None if closed else hours[1],
        priority=priority, created_at=created_at, reason=reason,
    )


def run(day=MONDAY, tz=KTM, base=(MON_9_17,), overrides=(), occ=(), *, duration=60,
        buffer=0, min_advance=0, max_days=30, now=NOW, interval=30, customer_tz=None,
        price=150000) -> list[dict]:
    slots = compute_slots(
        day, tz, list(base), list(overrides), list(occ), duration_minutes=duration,
        buffer_minutes=buffer, min_advance_hours=min_advance, max_advance_days=max_days,
        now=now, interval_minutes=interval,
    )
    return [render_slot(s, customer_tz or tz, price) for s in slots]


def displays(rendered: list[dict]) -> list[str]:
    return [r["slotDisplay"] for r in rendered]


def by_display(rendered: list[dict]) -> dict[str, str]:
    return {r["slotDisplay"]: r["status"] for r in rendered}


# --- worked examples ---------------------------------------------------------

def test_example_1_plain_day():
    out = run()
    assert len(out) == 15
    assert displays(out) == [
        "09:00 AM", "09:30 AM", "10:00 AM", "10:30 AM", "11:00 AM", "11:30 AM",
        "12:00 PM", "12:30 PM", "01:00 PM", "01:30 PM", "02:00 PM", "02:30 PM",
        "03:00 PM", "03:30 PM", "04:00 PM",
    ]
    assert out[0] == {
        "slotStartUtc": "2030-01-07T03:15:00Z",
        "slotEndUtc": "2030-01-07T04:15:00Z",
        "slotStartLocal": "2030-01-07T09:00:00+05:45",
        "slotEndLocal": "2030-01-07T10:00:00+05:45",
        "slotDisplay": "09:00 AM",
        "status": "available",
        "isAvailable": True,
        "priceCents": 150000,
    }
    assert list(out[0]) == ["slotStartUtc", "slotEndUtc", "slotStartLocal", "slotEndLocal",
                            "slotDisplay", "status", "isAvailable", "priceCents"]
    assert out[-1]["slotStartUtc"] == "2030-01-07T10:15:00Z"
    assert out[-1]["slotEndLocal"] == "2030-01-07T17:00:00+05:45"
    assert all(r["status"] == "available" and r["isAvailable"] is True for r in out)


def test_example_2_booking_without_buffer():
    booking = Occupancy(ktm(10), ktm(11), "booking")
    st = by_display(run(occ=[booking]))
    assert st["09:30 AM"] == st["10:00 AM"] == st["10:30 AM"] == "booked"
    assert st["09:00 AM"] == st["11:00 AM"] == "available"
    assert [k for k, v in st.items() if v == "booked"] == ["09:30 AM", "10:00 AM", "10:30 AM"]


def test_example_2_booking_with_buffer_15():
    booking = Occupancy(ktm(10), ktm(11), "booking")
    out = run(occ=[booking], buffer=15)
    st = by_display(out)
    assert [k for k, v in st.items() if v == "booked"] == [
        "09:00 AM", "09:30 AM", "10:00 AM", "10:30 AM", "11:00 AM"]
    assert st["11:30 AM"] == "available"
    booked = [r for r in out if r["status"] == "booked"]
    assert all(r["isAvailable"] is False for r in booked)


def test_example_3_break_drops_overlapping_slots():
    base = replace(MON_9_17, break_start=time(13), break_end=time(14))
    d = displays(run(base=[base]))
    for gone in ("12:30 PM", "01:00 PM", "01:30 PM"):
        assert gone not in d
    assert "12:00 PM" in d and "02:00 PM" in d
    assert len(d) == 12


def test_example_4_closure_then_stylist_special_event_wins_tie():
    closure = ov("00000000-0000-0000-0000-0000000000aa", kind="business_closure",
                 closed=True, priority=100, created_at=T0 + timedelta(days=5))
    assert run(overrides=[closure]) == []
    event = ov("00000000-0000-0000-0000-000000000001", kind="special_event", specific=True,
               hours=(time(10), time(12)), priority=100, created_at=T0)
    out = run(overrides=[closure, event])
    assert displays(out) == ["10:00 AM", "10:30 AM", "11:00 AM"]
    w = day_window(MONDAY, [MON_9_17], [closure, event])
    assert w.winner == event and w.beaten == (closure,) and w.verdict == "override"


def test_example_5_business_wide_seasonal_hours_for_a_month():
    seasonal = ov(kind="seasonal_hours", start_date=date(2030, 1, 1),
                  end_date=date(2030, 1, 31), hours=(time(10), time(15)), priority=10)
    for monday in (date(2030, 1, 7), date(2030, 1, 14), date(2030, 1, 21), date(2030, 1, 28)):
        d = displays(run(day=monday, overrides=[seasonal]))
        assert d == ["10:00 AM", "10:30 AM", "11:00 AM", "11:30 AM", "12:00 PM",
                     "12:30 PM", "01:00 PM", "01:30 PM", "02:00 PM"]
    sunday = date(2030, 1, 13)
    assert run(day=sunday, overrides=[seasonal]) == []
    w = day_window(sunday, [MON_9_17], [seasonal])
    assert w.window is None and w.verdict == "day off" and w.winner == seasonal
    # a Monday outside the override's range is back on the base schedule
    assert len(run(day=date(2030, 2, 4), overrides=[seasonal], max_days=60)) == 15


def test_example_6_dst_spring_forward_new_york():
    base = BaseRow(day_of_week=0, start=time(1), end=time(5))
    out = run(day=date(2027, 3, 14), tz=NY, base=[base], now=datetime(2027, 3, 1, tzinfo=UTC))
    assert [r["slotStartUtc"] for r in out] == [
        "2027-03-14T06:00:00Z", "2027-03-14T06:30:00Z", "2027-03-14T07:00:00Z",
        "2027-03-14T07:30:00Z", "2027-03-14T08:00:00Z"]
    assert displays(out) == ["01:00 AM", "01:30 AM", "03:00 AM", "03:30 AM", "04:00 AM"]
    assert [r["slotStartLocal"] for r in out] == [
        "2027-03-14T01:00:00-05:00", "2027-03-14T01:30:00-05:00", "2027-03-14T03:00:00-04:00",
        "2027-03-14T03:30:00-04:00", "2027-03-14T04:00:00-04:00"]
    assert out[1]["slotEndLocal"] == "2027-03-14T03:30:00-04:00"
    assert out[-1]["slotEndUtc"] == "2027-03-14T09:00:00Z"


def test_dst_fall_back_gives_more_slots():
    base = BaseRow(day_of_week=0, start=time(1), end=time(5))
    out = run(day=date(2027, 11, 7), tz=NY, base=[base], now=datetime(2027, 11, 1, tzinfo=UTC))
    # 01:00 EDT (05:00Z) to 05:00 EST (10:00Z): five hours of instants
    assert out[0]["slotStartUtc"] == "2027-11-07T05:00:00Z"
    assert out[-1]["slotEndUtc"] == "2027-11-07T10:00:00Z"
    assert len(out) == 9
    assert displays(out)[:5] == ["01:00 AM", "01:30 AM", "01:00 AM", "01:30 AM", "02:00 AM"]


def test_skipped_and_repeated_local_times_resolve_with_fold_0():
    # skipped 02:30 takes the offset before the change (EST)
    assert local_instant(date(2027, 3, 14), time(2, 30), NY) == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)
    # repeated 01:30 takes its first occurrence (EDT)
    assert local_instant(date(2027, 11, 7), time(1, 30), NY) == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)
    assert local_instant(MONDAY, time(9), KTM) == datetime(2030, 1, 7, 3, 15, tzinfo=UTC)


# --- rendering -----------------------------------------------------------------

def test_render_other_customer_zones():
    slot = Slot(datetime(2030, 1, 7, 3, 15, tzinfo=UTC), datetime(2030, 1, 7, 4, 15, tzinfo=UTC), "reserved")
    utc = render_slot(slot, "UTC", 0)
    assert utc["slotStartLocal"] == "2030-01-07T03:15:00+00:00"
    assert utc["slotDisplay"] == "03:15 AM"
    assert utc["status"] == "reserved" and utc["isAvailable"] is False and utc["priceCents"] == 0
    ny = render_slot(slot, NY, 5)
    assert ny["slotStartLocal"] == "2030-01-06T22:15:00-05:00"
    assert ny["slotDisplay"] == "10:15 PM"
    assert ny["slotStartUtc"] == "2030-01-07T03:15:00Z"


def test_render_noon_midnight_and_second_precision():
    noon = datetime(2030, 1, 7, 12, 0, 59, 999999, tzinfo=UTC)
    r = render_slot(Slot(noon, noon + timedelta(hours=1), "available"), "UTC", 1)
    assert r["slotDisplay"] == "12:00 PM"
    assert r["slotStartUtc"] == "2030-01-07T12:00:59Z"
    assert r["slotStartLocal"] == "2030-01-07T12:00:59+00:00"
    midnight = datetime(2030, 1, 7, tzinfo=UTC)
    assert render_slot(Slot(midnight, noon, "booked"), "UTC", 1)["slotDisplay"] == "12:00 AM"
    # a start given in another zone still renders in UTC with Z
    local = datetime(2030, 1, 7, 9, tzinfo=ZoneInfo(KTM))
    assert render_slot(Slot(local, local, "booked"), KTM, 1)["slotStartUtc"] == "2030-01-07T03:15:00Z"


# --- base row rule -------------------------------------------------------------

def test_base_row_latest_effective_from_and_range():
    old = BaseRow(1, time(8), time(12), effective_from=date(2029, 1, 1))
    new = BaseRow(1, time(9), time(17), effective_from=date(2030, 1, 1))
    ended = BaseRow(1, time(6), time(7), effective_from=date(2029, 6, 1), effective_until=date(2029, 12, 31))
    inactive = BaseRow(1, time(5), time(6), effective_from=date(2030, 1, 5), is_active=False)
    future = BaseRow(1, time(5), time(6), effective_from=date(2030, 1, 8))
    other_day = BaseRow(2, time(5), time(6), effective_from=date(2030, 1, 6))
    rows = [old, new, ended, inactive, future, other_day]
    assert base_row_for(rows, MONDAY) == new
    assert base_row_for(rows, date(2029, 12, 31)) == ended  # Monday, ended row still valid
    assert base_row_for(rows, date(2029, 1, 1)) == old       # a Monday
    assert base_row_for(rows, date(2030, 1, 6)) is None      # Sunday
    one_day = BaseRow(1, time(9), time(10), effective_from=MONDAY, effective_until=MONDAY)
    assert base_row_for([one_day], MONDAY) == one_day
    assert base_row_for([one_day], MONDAY + timedelta(days=7)) is None


# --- override ranking ------------------------------------------------------------

def test_tie_on_priority_stylist_specific_beats_business_wide():
    wide = ov("ffffffff-0000-0000-0000-000000000000", priority=30, created_at=T0 + timedelta(days=9))
    mine = ov("00000000-0000-0000-0000-000000000000", specific=True, priority=30, created_at=T0)
    winner, beaten = resolve_overrides([wide, mine], MONDAY)
    assert winner == mine and beaten == [wide]


def test_higher_priority_beats_stylist_specific():
    wide = ov("a", priority=31)
    mine = ov("b", specific=True, priority=30)
    assert resolve_overrides([mine, wide], MONDAY) == (wide, [mine])


def test_created_at_then_id_break_ties():
    a = ov("00000000-0000-0000-0000-00000000000a", created_at=T0)
    b = ov("00000000-0000-0000-0000-00000000000b", created_at=T0)
    c = ov("00000000-0000-0000-0000-000000000001", created_at=T0 + timedelta(seconds=1))
    winner, beaten = resolve_overrides([a, b, c], MONDAY)
    assert winner == c and beaten == [b, a]
    upper = ov("00000000-0000-0000-0000-00000000000C", created_at=T0)
    assert resolve_overrides([a, b, upper], MONDAY)[0] == upper  # ids compared case-insensitively
    # created_at in a different zone is compared as an instant
    later_local = ov("0", created_at=datetime(2029, 12, 1, 6, tzinfo=ZoneInfo(KTM)))  # 00:15Z
    assert resolve_overrides([a, later_local], MONDAY)[0] == later_local


def test_override_type_does_not_matter():
    closure = ov("a", kind="business_closure", closed=True, priority=5)
    hours = ov("b", kind="seasonal_hours", priority=6)
    assert resolve_overrides([closure, hours], MONDAY)[0] == hours


def test_overlapping_ranges_are_decided_per_date():
    month = ov("month", start_date=date(2030, 1, 1), end_date=date(2030, 1, 31),
               hours=(time(10), time(15)), priority=10)
    week = ov("week", kind="special_event", start_date=date(2030, 1, 10), end_date=date(2030, 1, 16),
              hours=(time(12), time(20)), priority=30)
    day = ov("day", kind="business_closure", start_date=date(2030, 1, 14), end_date=date(2030, 1, 14),
             closed=True, priority=100)
    rows = [month, week, day]
    assert resolve_overrides(rows, date(2030, 1, 7)) == (month, [])
    assert resolve_overrides(rows, date(2030, 1, 13)) == (week, [month])
    assert resolve_overrides(rows, date(2030, 1, 14)) == (day, [week, month])
    assert resolve_overrides(rows, date(2030, 2, 1)) == (None, [])
    assert len(run(day=date(2030, 1, 7), overrides=rows)) == 9          # month 10-15
    assert run(day=date(2030, 1, 14), overrides=rows) == []             # closure
    assert displays(run(day=date(2030, 1, 21), overrides=rows))[0] == "10:00 AM"
    # week has no Monday in range except the 14th (closed); check a week day window
    w = day_window(date(2030, 1, 15), [BaseRow(2, time(9), time(17))], rows)
    assert w.window == (time(12), time(20)) and w.winner == week and w.beaten == (month,)


def test_business_wide_hours_on_day_without_base_row_is_day_off():
    wide = ov(kind="special_event", hours=(time(10), time(12)), priority=100)
    w = day_window(MONDAY, [], [wide])
    assert w.window is None and w.verdict == "day off" and w.winner == wide and w.break_ is None
    assert run(base=[], overrides=[wide]) == []


def test_stylist_specific_hours_open_a_day_off():
    mine = ov(kind="special_event", specific=True, hours=(time(18), time(21)), priority=50)
    w = day_window(MONDAY, [], [mine])
    assert w.window == (time(18), time(21)) and w.verdict == "override" and w.base_row is None
    assert displays(run(base=[], overrides=[mine])) == [
        "06:00 PM", "06:30 PM", "07:00 PM", "07:30 PM", "08:00 PM"]


def test_closed_winner():
    vac = ov(kind="stylist_vacation", specific=True, closed=True, priority=50)
    hours = ov("z", specific=False, priority=10)
    w = day_window(MONDAY, [MON_9_17], [hours, vac])
    assert w.window is None and w.verdict == "closed" and w.winner == vac and w.beaten == (hours,)
    assert run(overrides=[hours, vac]) == []


def test_base_schedule_and_day_off_verdicts():
    w = day_window(MONDAY, [MON_9_17], [])
    assert (w.window, w.verdict, w.winner, w.beaten, w.base_row) == (
        (time(9), time(17)), "base schedule", None, (), MON_9_17)
    assert day_window(MONDAY, [], []).verdict == "day off"


def test_break_applies_under_an_override_window():
    base = replace(MON_9_17, break_start=time(13), break_end=time(14))
    extended = ov(kind="special_event", specific=True, hours=(time(11), time(20)), priority=50)
    w = day_window(MONDAY, [base], [extended])
    assert w.break_ == (time(13), time(14)) and w.window == (time(11), time(20))
    d = displays(run(base=[base], overrides=[extended]))
    assert d[0] == "11:00 AM" and d[-1] == "07:00 PM"
    assert "12:00 PM" in d and "02:00 PM" in d
    for gone in ("12:30 PM", "01:00 PM", "01:30 PM"):
        assert gone not in d


def test_override_requires_hours_unless_closed_and_aware_created_at():
    with pytest.raises(ValueError):
        OverrideRow("x", "special_event", True, MONDAY, MONDAY, False, None, None, 0, T0)
    with pytest.raises(ValueError):
        OverrideRow("x", "special_event", True, MONDAY, MONDAY, True, None, None, 0, datetime(2030, 1, 1))


# --- holds, bookings, buffer ------------------------------------------------------

def test_unexpired_hold_is_reserved_expired_hold_is_available():
    hold = Occupancy(ktm(10), ktm(11), "hold", expires_at=NOW + timedelta(minutes=15))
    st = by_display(run(occ=[hold]))
    assert st["10:00 AM"] == "reserved" and st["09:30 AM"] == "reserved" and st["11:00 AM"] == "available"
    later = NOW + timedelta(minutes=15)  # held_until == now counts as expired
    assert set(by_display(run(occ=[hold], now=later)).values()) == {"available"}


def test_latest_expiry_of_overlapping_holds_is_kept():
    h1 = Occupancy(ktm(10), ktm(11), "hold", expires_at=NOW + timedelta(minutes=5))
    h2 = Occupancy(ktm(10, 30), ktm(11), "hold", expires_at=NOW + timedelta(minutes=20))
    window = day_window(MONDAY, [MON_9_17], [])
    planned = {p.start: p for p in plan_day(MONDAY, KTM, window, 60, 0, [h2, h1])}
    assert planned[ktm(9, 30)].held_until == h1.expires_at
    assert planned[ktm(10)].held_until == h2.expires_at
    assert planned[ktm(9)].held_until is None
    at = NOW + timedelta(minutes=10)
    st = {s.start: s.status for s in resolve_slots(planned.values(), at, 0)}
    assert st[ktm(9, 30)] == "available" and st[ktm(10)] == "reserved"


def test_hold_and_booking_together_is_booked():
    hold = Occupancy(ktm(10), ktm(11), "hold", expires_at=NOW + timedelta(hours=1))
    booking = Occupancy(ktm(10, 30), ktm(11), "booking")
    st = by_display(run(occ=[hold, booking]))
    assert st["10:00 AM"] == "booked" and st["10:30 AM"] == "booked"
    assert st["09:30 AM"] == "reserved"  # [09:30,10:30) meets the booking only at 10:30
    assert st["09:00 AM"] == "available"
    # the same pair with buffer 1: the booking now reaches 09:30 too
    assert by_display(run(occ=[hold, booking], buffer=1))["09:30 AM"] == "booked"


def test_buffer_applies_to_holds_too_and_is_the_stylists_own():
    hold = Occupancy(ktm(12), ktm(12, 30), "hold", expires_at=NOW + timedelta(hours=1))
    assert by_display(run(occ=[hold], buffer=0))["12:30 PM"] == "available"
    assert by_display(run(occ=[hold], buffer=1))["12:30 PM"] == "reserved"
    assert by_display(run(occ=[hold], buffer=45))["01:00 PM"] == "reserved"
    assert by_display(run(occ=[hold], buffer=30))["01:00 PM"] == "available"


def test_occupancies_in_any_zone_and_far_away_are_handled():
    booking = Occupancy(datetime(2030, 1, 7, 4, 15, tzinfo=UTC), datetime(2030, 1, 7, 0, 15, tzinfo=ZoneInfo(NY)),
                        "booking")  # 10:00-11:00 Kathmandu
    far = [Occupancy(ktm(10, day=MONDAY + timedelta(days=d)), ktm(11, day=MONDAY + timedelta(days=d)), "booking")
           for d in (-3, -1, 1, 2)]
    st = by_display(run(occ=[*far, booking]))
    assert [k for k, v in st.items() if v == "booked"] == ["09:30 AM", "10:00 AM", "10:30 AM"]


def test_occupancy_validation():
    with pytest.raises(ValueError):
        Occupancy(ktm(10), ktm(11), "cancelled")
    with pytest.raises(ValueError):
        Occupancy(ktm(10), ktm(11), "hold")
    with pytest.raises(ValueError):
        Occupancy(datetime(2030, 1, 7, 10), ktm(11), "booking")


# --- §2 bookable dates and min advance ---------------------------------------------

def test_dates_before_today_or_beyond_horizon_are_empty():
    assert run(day=MONDAY, now=datetime(2030, 1, 8, 12, tzinfo=UTC)) == []
    assert run(day=MONDAY, now=datetime(2029, 12, 7, 0, tzinfo=UTC), max_days=30) == []
    assert len(run(day=MONDAY, now=datetime(2029, 12, 8, 0, tzinfo=UTC), max_days=30)) == 15
    assert not is_bookable_date(MONDAY, KTM, datetime(2029, 12, 7, 18, 14, tzinfo=UTC), 30)
    assert is_bookable_date(MONDAY, KTM, datetime(2029, 12, 7, 18, 15, tzinfo=UTC), 30)  # 00:00 Dec 8 KTM


def test_today_is_judged_in_the_stylists_zone():
    now = datetime(2030, 1, 6, 19, tzinfo=UTC)  # 00:45 on 2030-01-07 in Kathmandu
    assert is_bookable_date(MONDAY, KTM, now, 30)
    assert not is_bookable_date(date(2030, 1, 6), KTM, now, 30)
    assert is_bookable_date(date(2030, 1, 6), NY, now, 30)     # still the 6th in New York
    assert is_bookable_date(MONDAY, KTM, now, 0)                # today with a zero horizon
    assert not is_bookable_date(MONDAY + timedelta(days=1), KTM, now, 0)
    sunday = BaseRow(0, time(9), time(17))
    assert run(day=date(2030, 1, 6), base=[sunday], now=now) == []
    assert len(run(day=MONDAY, now=now)) == 15
    with pytest.raises(ValueError):
        is_bookable_date(MONDAY, KTM, datetime(2030, 1, 6, 19), 30)


def test_min_advance_cutoff_today():
    now = ktm(11, 10)
    d = displays(run(now=now, min_advance=2))
    assert d[0] == "01:30 PM" and len(d) == 6           # first start >= 13:10
    exact = ktm(11)
    assert displays(run(now=exact, min_advance=2))[0] == "01:00 PM"  # start == cutoff is kept
    assert displays(run(now=exact, min_advance=0))[0] == "11:00 AM"


def test_resolve_slots_statuses_and_cutoff():
    s = datetime(2030, 1, 7, 3, 15, tzinfo=UTC)
    e = s + timedelta(hours=1)
    now = s - timedelta(hours=1)
    planned = [
        PlannedSlot(s, e, booked=True, held_until=s),
        PlannedSlot(s + timedelta(minutes=30), e, booked=False, held_until=now + timedelta(seconds=1)),
        PlannedSlot(s + timedelta(minutes=60), e, booked=False, held_until=now),
        PlannedSlot(s + timedelta(minutes=90), e, booked=False, held_until=None),
    ]
    assert [x.status for x in resolve_slots(planned, now, 0)] == ["booked", "reserved", "available", "available"]
    assert [x.start for x in resolve_slots(planned, now, 2)] == [s + timedelta(minutes=60), s + timedelta(minutes=90)]


# --- window edge cases ---------------------------------------------------------------

def test_window_ending_near_midnight_terminates():
    late = BaseRow(1, time(18), time(23, 59, 59))
    d = displays(run(base=[late], duration=45, interval=15))
    assert d[0] == "06:00 PM" and d[-1] == "11:00 PM"
    assert len(d) == 21
    tiny = BaseRow(1, time(23, 59), time(23, 59, 59, 999999))
    assert run(base=[tiny], duration=1, interval=1) == []


def test_window_shorter_than_duration_and_inverted_dst_window():
    short = BaseRow(1, time(9), time(9, 59))
    assert run(base=[short]) == []
    # 02:30 (skipped, EST) to 03:00 (EDT) is inverted in instants: no slots, no loop
    inverted = BaseRow(0, time(2, 30), time(3))
    assert run(day=date(2027, 3, 14), tz=NY, base=[inverted], duration=5, interval=5,
               now=datetime(2027, 3, 1, tzinfo=UTC)) == []


def test_plan_day_validates_arguments():
    w = day_window(MONDAY, [MON_9_17], [])
    with pytest.raises(ValueError):
        plan_day(MONDAY, KTM, w, 0, 0, [])
    with pytest.raises(ValueError):
        plan_day(MONDAY, KTM, w, 30, 0, [], interval_minutes=0)
    with pytest.raises(ValueError):
        plan_day(MONDAY, KTM, w, 30, -1, [])
    with pytest.raises(ValueError):
        plan_day(MONDAY + timedelta(days=1), KTM, w, 30, 0, [])
    assert plan_day(MONDAY, KTM, day_window(MONDAY, [], []), 30, 0, []) == []


def test_planned_slots_are_utc_and_independent_of_now():
    w = day_window(MONDAY, [MON_9_17], [])
    planned = plan_day(MONDAY, KTM, w, 60, 15, [Occupancy(ktm(10), ktm(11), "hold", expires_at=ktm(8))])
    assert all(p.start.tzinfo is timezone.utc and p.end.tzinfo is timezone.utc for p in planned)
    assert planned[0].start == datetime(2030, 1, 7, 3, 15, tzinfo=UTC)
    assert planned[0].held_until == datetime(2030, 1, 7, 2, 15, tzinfo=UTC)
    assert planned[0].held_until.tzinfo is timezone.utc


def test_plan_day_with_many_occupancies_matches_brute_force():
    """20,000 occupancies at a 1-minute step (its speed is a benchmark: bench/slots_uncached.py)."""
    base = BaseRow(1, time(0), time(23, 59))
    w = day_window(MONDAY, [base], [])
    occ = []
    start = ktm(0) - timedelta(days=3)
    for j in range(20000):
        s = start + timedelta(minutes=17 * j)
        kind = "booking" if j % 3 else "hold"
        occ.append(Occupancy(s, s + timedelta(minutes=5), kind,
                             expires_at=NOW + timedelta(minutes=j % 50) if kind == "hold" else None))
    planned = plan_day(MONDAY, KTM, w, 5, 0, occ, interval_minutes=1)
    assert len(planned) == 1435
    # spot-check against brute force
    for p in planned[::211]:
        hits = [o for o in occ if p.start < o.end and o.start < p.end]
        assert p.booked == any(o.kind == "booking" for o in hits)
        holds = [o.expires_at for o in hits if o.kind == "hold"]
        assert p.held_until == (max(holds) if holds else None)
