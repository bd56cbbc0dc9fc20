"""The troubleshooter's engine against the endpoint's engine, pure (many examples, fast):
`explain_day` calls available exactly what `compute_slots` returns as available, and
gives every returned slot the same status; every other candidate has a reason."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.availability import BaseRow, Occupancy, OverrideRow, compute_slots
from portal.domain.slot_verdicts import VERDICTS, BookingRef, explain_day
UTC = timezone.utc
# DST change days per zone, so transitions inside the window are drawn often.
DST_DAYS = {
    "America/New_York": [date(2027, 3, 14), date(2027, 11, 7)],
    "Europe/London": [date(2027, 3, 28), date(2027, 10, 31)],
    "Australia/Lord_Howe": [date(2027, 4, 4), date(2027, 10, 3)],
    "Asia/Kathmandu": [date(2030, 1, 7)],
}


def instant(day: date, t: time, tz: str) -> datetime:
    return datetime.combine(day, t, ZoneInfo(tz)).astimezone(UTC)


@st.composite
def zone_and_day(draw):
    tz = draw(st.sampled_from(sorted(DST_DAYS)))
    if draw(st.booleans()):
        return tz, draw(st.sampled_from(DST_DAYS[tz])) + timedelta(days=draw(st.sampled_from([0, 0, 1, -1])))
    return tz, draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2033, 12, 31)))


def _t(q: int) -> time:
    return time(q // 4, (q % 4) * 15)


@st.composite
def days(draw):
    tz, day = draw(zone_and_day())
    wd = day.isoweekday() % 7
    bases = []
    if draw(st.booleans()):
        a = draw(st.integers(0, 80))
        b = draw(st.integers(a + 1, 95))
        brk = None
        if b - a >= 3 and draw(st.booleans()):
            b0 = draw(st.integers(a, b - 2))
            brk = (_t(b0), _t(draw(st.integers(b0 + 1, b))))
        bases.append(BaseRow(wd, _t(a), _t(b), *(brk or (None, None))))
    overrides = []
    for i in range(draw(st.integers(0, 3))):
        closed = draw(st.booleans())
        a = draw(st.integers(0, 90))
        b = draw(st.integers(a + 1, 95))
        overrides.append(OverrideRow(
            id=f"00000000-0000-0000-0000-00000000000{i}",
            override_type=draw(st.sampled_from(["business_closure", "stylist_vacation", "seasonal_hours",
                                                "special_event"])),
            is_stylist_specific=draw(st.booleans()), start_date=day - timedelta(days=draw(st.integers(0, 2))),
            end_date=day + timedelta(days=draw(st.integers(0, 2))), is_closed=closed,
            start=None if closed else _t(a), end=None if closed else _t(b),
            priority=draw(st.sampled_from([0, 10, 30, 50, 90, 100])),
            created_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=draw(st.integers(0, 3)))))
    midnight = instant(day, time(0), tz)
    occ, refs = [], []
    for i in range(draw(st.integers(0, 5))):
        start = midnight + timedelta(minutes=15 * draw(st.integers(-8, 100)))
        end = start + timedelta(minutes=15 * draw(st.integers(1, 12)))
        if draw(st.booleans()):
            occ.append(Occupancy(start, end, "booking"))
            refs.append(BookingRef(str(i), start, end))
        else:
            occ.append(Occupancy(start, end, "hold", midnight + timedelta(hours=draw(st.integers(-30, 30)))))
    now = midnight + timedelta(minutes=15 * draw(st.integers(-4 * 96 * 3, 96 * 2)))
    return dict(day=day, tz=tz, bases=bases, overrides=overrides, occ=occ, refs=refs, now=now,
                duration=draw(st.sampled_from([15, 30, 45, 60, 90])), buffer=draw(st.sampled_from([0, 10, 15, 30])),
                advance=draw(st.sampled_from([0, 1, 2, 24])), horizon=draw(st.sampled_from([1, 2, 30])),
                interval=draw(st.sampled_from([15, 30])))


@settings(max_examples=400, deadline=None, database=None)
@given(case=days(), problem=st.sampled_from([None, None, None, "inactive", "not_offered"]))
def test_explain_day_agrees_with_compute_slots(case, problem):
    common = dict(duration_minutes=case["duration"], buffer_minutes=case["buffer"],
                  min_advance_hours=case["advance"], max_advance_days=case["horizon"], now=case["now"],
                  interval_minutes=case["interval"])
    ex = explain_day(case["day"], case["tz"], case["bases"], case["overrides"], case["occ"], case["refs"],
                     offer_problem=problem, **common)
    endpoint = [] if problem else compute_slots(case["day"], case["tz"], case["bases"], case["overrides"],
                                                case["occ"], **common)
    returned = [(v.start, v.end, v.status) for v in ex.slots if v.status is not None]
    assert returned == [(s.start, s.end, s.status) for s in endpoint]
    assert [v.start for v in ex.slots] == sorted({v.start for v in ex.slots})
    assert all(v.verdict in VERDICTS for v in ex.slots)
    for v in ex.slots:
        if v.verdict == "booked":  # a named booking overlaps the slot itself
            assert v.booking is not None and v.start < v.booking.end and v.booking.start < v.end
        if v.verdict == "held":
            assert v.held_until is not None and v.held_until > case["now"]
        if v.verdict == "too_soon":
            assert v.start < ex.cutoff


def test_worked_example_reasons():
    monday = date(2030, 1, 7)
    tz = "Asia/Kathmandu"
    base = [BaseRow(1, time(9), time(17), time(13), time(14))]
    seasonal = OverrideRow("a", "seasonal_hours", False, monday, monday, False, time(10), time(15), 10,
                           datetime(2026, 1, 1, tzinfo=UTC))
    b = instant(monday, time(11), tz)
    ex = explain_day(monday, tz, base, [seasonal], [Occupancy(b, b + timedelta(hours=1), "booking")],
                     [BookingRef("x", b, b + timedelta(hours=1))], offer_problem=None, duration_minutes=60,
                     buffer_minutes=15, min_advance_hours=0, max_advance_days=3000,
                     now=datetime(2029, 1, 1, tzinfo=UTC))
    verdicts = {v.start.astimezone(UTC).strftime("%H:%M"): v.verdict for v in ex.slots}
    local = {k: v for k, v in zip([s.start for s in ex.slots], [s.verdict for s in ex.slots])}
    assert verdicts["03:15"] == "outside_hours"  # 09:00 local: before the seasonal hours
    assert local[instant(monday, time(10), tz)] == "buffer"  # 10:00-11:00 within 15 min of 11:00
    assert local[instant(monday, time(11), tz)] == "booked"
    assert local[instant(monday, time(12, 30), tz)] == "break"
    assert local[instant(monday, time(15), tz)] == "outside_hours"
    assert local[instant(monday, time(14), tz)] == "available"
