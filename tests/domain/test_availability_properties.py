"""Property tests for the availability engine (Hypothesis).

Each invariant is checked against a brute-force reading of availability.md §3–§5.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.availability import (
    BaseRow,
    Occupancy,
    OverrideRow,
    compute_slots,
    day_window,
    is_bookable_date,
    plan_day,
    resolve_slots,
    weekday_sunday0,
)
from portal.slots.plan import render_slot

UTC = timezone.utc
ZONES = ["Asia/Kathmandu", "America/New_York", "Europe/London", "UTC", "Australia/Lord_Howe"]
# DST change days (and neighbours) per zone, so the transitions are drawn often.
DST_DAYS = {
    "America/New_York": [date(2027, 3, 14), date(2027, 11, 7), date(2030, 3, 10), date(2030, 11, 3)],
    "Europe/London": [date(2027, 3, 28), date(2027, 10, 31), date(2030, 3, 31), date(2030, 10, 27)],
    "Australia/Lord_Howe": [date(2027, 4, 4), date(2027, 10, 3), date(2030, 4, 7), date(2030, 10, 6)],
    "Asia/Kathmandu": [date(2030, 1, 7)],
    "UTC": [date(2030, 1, 7)],
}
PROPS = settings(max_examples=150, deadline=None, database=None)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def wall(minute_of_day: int) -> time:
    return time(minute_of_day // 60, minute_of_day % 60)


def instant(day: date, t: time, tz: str) -> datetime:
    """Independent restatement of §3's conversion: fold=0, then UTC."""
    return datetime(day.year, day.month, day.day, t.hour, t.minute, t.second, t.microsecond,
                    tzinfo=ZoneInfo(tz), fold=0).astimezone(UTC)


@st.composite
def zone_and_day(draw):
    tz = draw(st.sampled_from(ZONES))
    if draw(st.booleans()):
        day = draw(st.sampled_from(DST_DAYS[tz])) + timedelta(days=draw(st.sampled_from([0, 0, 0, 1, -1])))
    else:
        day = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2033, 12, 31)))
    return tz, day


@st.composite
def time_range(draw, lo: int = 0, hi: int = 1439):
    a = draw(st.integers(lo, hi - 1))
    b = draw(st.integers(a + 1, hi))
    end = wall(b) if b < 1440 else time(23, 59, 59)
    return wall(a), end


@st.composite
def base_rows(draw, day: date):
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        start, end = draw(time_range())
        brk = (None, None)
        s_min, e_min = start.hour * 60 + start.minute, end.hour * 60 + end.minute
        if e_min - s_min >= 2 and draw(st.booleans()):
            brk = draw(time_range(s_min, e_min))
        dow = weekday_sunday0(day) if draw(st.integers(0, 4)) else draw(st.integers(0, 6))
        frm = day + timedelta(days=draw(st.integers(-400, 2)))
        until = draw(st.one_of(st.none(), st.just(frm + timedelta(days=draw(st.integers(0, 500))))))
        rows.append(BaseRow(dow, start, end, brk[0], brk[1], frm, until, draw(st.booleans()) or draw(st.booleans())))
    return rows


@st.composite
def override_rows(draw, day: date):
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        lo = day + timedelta(days=draw(st.integers(-40, 1)))
        hi = lo + timedelta(days=draw(st.integers(0, 60)))
        closed = draw(st.integers(0, 3)) == 0
        hours = (None, None) if closed else draw(time_range())
        rows.append(OverrideRow(
            id=draw(st.sampled_from(["0a", "0B", "1c", "ff", "00"])) + f"-{draw(st.integers(0, 1))}",
            override_type=draw(st.sampled_from(
                ["business_closure", "stylist_vacation", "seasonal_hours", "special_event"])),
            is_stylist_specific=draw(st.booleans()),
            start_date=lo, end_date=hi, is_closed=closed, start=hours[0], end=hours[1],
            priority=draw(st.sampled_from([0, 10, 10, 50, 100])),
            created_at=T0 + timedelta(minutes=draw(st.integers(0, 3))),
        ))
    return rows


@st.composite
def occupancy_rows(draw, day: date, tz: str, now: datetime):
    midnight = instant(day, time(0), tz)
    rows = []
    for _ in range(draw(st.integers(0, 10))):
        start = midnight + timedelta(minutes=draw(st.integers(-180, 1600)))
        end = start + timedelta(minutes=draw(st.integers(1, 240)))
        if draw(st.booleans()):
            rows.append(Occupancy(start, end, "booking"))
        else:
            exp = now + timedelta(minutes=draw(st.integers(-30, 30)))
            rows.append(Occupancy(start, end, "hold", expires_at=exp))
    return rows


@st.composite
def scenarios(draw):
    tz, day = draw(zone_and_day())
    base = draw(base_rows(day))
    overrides = draw(override_rows(day))
    now = instant(day, time(0), tz) + timedelta(minutes=draw(st.integers(-3000, 1500)))
    return dict(
        tz=tz, day=day, base=base, overrides=overrides, now=now,
        occ=draw(occupancy_rows(day, tz, now)),
        duration=draw(st.one_of(st.integers(1, 240), st.sampled_from([30, 45, 60, 90]))),
        interval=draw(st.sampled_from([1, 5, 7, 10, 15, 20, 30, 30, 45, 60, 90])),
        buffer=draw(st.sampled_from([0, 0, 5, 15, 30, 120])),
        min_advance=draw(st.integers(0, 30)),
        max_days=draw(st.integers(0, 5)),
    )


def conflicts(o: Occupancy, s: datetime, e: datetime, buf: timedelta) -> bool:
    return s < o.end + buf and o.start - buf < e


def rank(o: OverrideRow):
    return (o.priority, o.is_stylist_specific, o.created_at, o.id.lower())


@PROPS
@given(scenarios())
def test_planned_and_resolved_slots_obey_the_spec(sc):
    tz, day, now = sc["tz"], sc["day"], sc["now"]
    w = day_window(day, sc["base"], sc["overrides"])
    planned = plan_day(day, tz, w, sc["duration"], sc["buffer"], sc["occ"], sc["interval"])
    if w.window is None:
        assert planned == []
        return
    w0, w1 = instant(day, w.window[0], tz), instant(day, w.window[1], tz)
    brk = None
    if w.break_ is not None:
        b0, b1 = instant(day, w.break_[0], tz), instant(day, w.break_[1], tz)
        brk = (b0, b1) if b1 > b0 else None
    dur, step = timedelta(minutes=sc["duration"]), timedelta(minutes=sc["interval"])
    buf = timedelta(minutes=sc["buffer"])

    # brute-force candidate list (§4), bounded so a bug cannot hang the test
    expected = []
    for k in range(2000):
        t = w0 + k * step
        if t + dur > w1:
            break
        if brk is None or not (t < brk[1] and brk[0] < t + dur):
            expected.append(t)
    assert [p.start for p in planned] == expected

    for prev, cur in zip(planned, planned[1:]):
        assert prev.start < cur.start
    for p in planned:
        assert p.start.utcoffset() == timedelta(0) and p.end.utcoffset() == timedelta(0)
        assert w0 <= p.start and p.end <= w1
        assert p.end == p.start + dur
        assert (p.start - w0) % step == timedelta(0)
        if brk is not None:
            assert not (p.start < brk[1] and brk[0] < p.end)
        hits = [o for o in sc["occ"] if conflicts(o, p.start, p.end, buf)]
        assert p.booked == any(o.kind == "booking" for o in hits)
        exp = [o.expires_at for o in hits if o.kind == "hold"]
        assert p.held_until == (max(exp) if exp else None)

    cutoff = now + timedelta(hours=sc["min_advance"])
    resolved = resolve_slots(planned, now, sc["min_advance"])
    assert [s.start for s in resolved] == [p.start for p in planned if p.start >= cutoff]
    for s in resolved:
        assert s.start >= cutoff
        hits = [o for o in sc["occ"] if conflicts(o, s.start, s.end, buf)]
        booked = any(o.kind == "booking" for o in hits)
        held = any(o.kind == "hold" and o.expires_at > now for o in hits)
        assert (s.status == "booked") == booked
        assert (s.status == "reserved") == (not booked and held)
        assert (s.status == "available") == (not booked and not held)


@PROPS
@given(scenarios())
def test_day_window_follows_the_layering_rules(sc):
    day = sc["day"]
    w = day_window(day, sc["base"], sc["overrides"])
    matching = [r for r in sc["base"] if r.is_active and r.day_of_week == weekday_sunday0(day)
                and r.effective_from <= day and (r.effective_until is None or r.effective_until >= day)]
    if matching:
        assert w.base_row in matching
        assert w.base_row.effective_from == max(r.effective_from for r in matching)
    else:
        assert w.base_row is None
    covering = [o for o in sc["overrides"] if o.start_date <= day <= o.end_date]
    if not covering:
        assert w.winner is None and w.beaten == ()
    else:
        assert rank(w.winner) == max(rank(o) for o in covering)
        assert sorted([w.winner, *w.beaten], key=id) == sorted(covering, key=id)
        ranks = [rank(o) for o in (w.winner, *w.beaten)]
        assert ranks == sorted(ranks, reverse=True)
    win, base = w.winner, w.base_row
    if win is not None and win.is_closed:
        assert (w.window, w.verdict) == (None, "closed")
    elif win is not None and (base is not None or win.is_stylist_specific):
        assert (w.window, w.verdict) == ((win.start, win.end), "override")
    elif win is not None:
        assert (w.window, w.verdict) == (None, "day off")
    elif base is not None:
        assert (w.window, w.verdict) == ((base.start, base.end), "base schedule")
    else:
        assert (w.window, w.verdict) == (None, "day off")
    if w.window is not None and base is not None and base.break_start is not None:
        assert w.break_ == (base.break_start, base.break_end)
    else:
        assert w.break_ is None


@PROPS
@given(scenarios(), st.lists(st.integers(-600, 600), min_size=1, max_size=3))
def test_compute_slots_is_plan_then_resolve_at_any_now(sc, shifts):
    """The cache contract: one plan_day result, resolved at several request
    instants, equals a fresh computation at each of them."""
    tz, day = sc["tz"], sc["day"]
    w = day_window(day, sc["base"], sc["overrides"])
    planned = plan_day(day, tz, w, sc["duration"], sc["buffer"], sc["occ"], sc["interval"])
    for shift in shifts:
        now = sc["now"] + timedelta(minutes=shift)
        fresh = compute_slots(
            day, tz, sc["base"], sc["overrides"], sc["occ"], duration_minutes=sc["duration"],
            buffer_minutes=sc["buffer"], min_advance_hours=sc["min_advance"],
            max_advance_days=sc["max_days"], now=now, interval_minutes=sc["interval"])
        today = now.astimezone(ZoneInfo(tz)).date()
        bookable = today <= day <= today + timedelta(days=sc["max_days"])
        assert is_bookable_date(day, tz, now, sc["max_days"]) == bookable
        assert fresh == (resolve_slots(planned, now, sc["min_advance"]) if bookable else [])


LOCAL_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
UTC_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
DISPLAY_RE = re.compile(r"^(0[1-9]|1[0-2]):[0-5]\d (AM|PM)$")


@PROPS
@given(scenarios(), st.sampled_from(ZONES), st.integers(0, 10**7))
def test_rendered_fields_round_trip(sc, customer_tz, price):
    tz, day = sc["tz"], sc["day"]
    w = day_window(day, sc["base"], sc["overrides"])
    planned = plan_day(day, tz, w, sc["duration"], sc["buffer"], sc["occ"], sc["interval"])
    for slot in resolve_slots(planned, sc["now"], 0)[:50]:
        r = render_slot(slot, customer_tz, price)
        assert UTC_RE.match(r["slotStartUtc"]) and UTC_RE.match(r["slotEndUtc"])
        assert LOCAL_RE.match(r["slotStartLocal"]) and LOCAL_RE.match(r["slotEndLocal"])
        assert DISPLAY_RE.match(r["slotDisplay"])
        assert datetime.fromisoformat(r["slotStartUtc"].replace("Z", "+00:00")) == slot.start
        assert datetime.fromisoformat(r["slotEndUtc"].replace("Z", "+00:00")) == slot.end
        local = datetime.fromisoformat(r["slotStartLocal"])
        assert local == slot.start
        assert datetime.fromisoformat(r["slotEndLocal"]) == slot.end
        assert local.utcoffset() == slot.start.astimezone(ZoneInfo(customer_tz)).utcoffset()
        h12, rest = r["slotDisplay"].split(":")
        assert (int(h12) % 12 + (12 if rest.endswith("PM") else 0), int(rest[:2])) == (local.hour, local.minute)
        assert r["isAvailable"] == (r["status"] == "available") and r["priceCents"] == price
