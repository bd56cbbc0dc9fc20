"""The availability engine (availability.md §2–§5; the API's JSON is `portal.slots.plan`).

Pure Python, stdlib only. Split in two so a cache can keep the date-stable part:

* :func:`plan_day` — everything that does not depend on ``now``: candidate slots
  of the day's window, the break removed, and for each slot whether a booking
  conflicts and until when a hold does (``PlannedSlot``);
* :func:`resolve_slots` — the request-time part: the min-advance cut-off and hold
  expiry against ``now``.

Wall-clock times become instants exactly once (``zoneinfo``, ``fold=0``); all slot
arithmetic is on UTC instants, so DST changes inside the window are handled and
nothing wraps at midnight.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from portal.domain.schedule_layers import (
    BaseRow,
    DayWindow,
    OverrideRow,
    base_row_for,
    day_window,
    resolve_overrides,
    weekday_sunday0,
)

__all__ = [
    "BaseRow",
    "OverrideRow",
    "Occupancy",
    "DayWindow",
    "PlannedSlot",
    "Slot",
    "SLOT_STATUSES",
    "base_row_for",
    "resolve_overrides",
    "day_window",
    "weekday_sunday0",
    "local_instant",
    "plan_day",
    "is_bookable_date",
    "resolve_slots",
    "slot_status",
    "min_advance_cutoff",
    "candidate_grid",
    "compute_slots",
]

UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
SLOT_STATUSES = ("available", "booked", "reserved")
OCCUPANCY_KINDS = ("booking", "hold")


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime")


@dataclass(frozen=True)
class Occupancy:
    """A booking (already filtered to pending/confirmed/in_progress) or a hold
    (status ``reserved``) of the stylist, for any service."""

    start: datetime
    end: datetime
    kind: str  # "booking" | "hold"
    expires_at: datetime | None = None  # holds only

    def __post_init__(self) -> None:
        if self.kind not in OCCUPANCY_KINDS:
            raise ValueError(f"Occupancy.kind must be one of {OCCUPANCY_KINDS}, not {self.kind!r}")
        _require_aware(self.start, "Occupancy.start")
        _require_aware(self.end, "Occupancy.end")
        if self.kind == "hold":
            if self.expires_at is None:
                raise ValueError("a hold needs expires_at")
            _require_aware(self.expires_at, "Occupancy.expires_at")


@dataclass(frozen=True)
class PlannedSlot:
    """The date-stable, cacheable part of a slot (no ``now`` involved)."""

    start: datetime  # aware UTC
    end: datetime  # aware UTC
    booked: bool
    held_until: datetime | None  # latest expires_at of conflicting holds (UTC), else None


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware UTC
    end: datetime  # aware UTC
    status: str  # available | booked | reserved


def local_instant(day: date, wall: time, tz: str | ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``wall`` on ``day`` in ``tz``, resolved as
    zoneinfo does with ``fold=0``: a repeated time takes its first occurrence, a
    skipped time the offset in force before the change."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    naive = datetime.combine(day, wall.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _us(value: datetime) -> int:
    return (value - _EPOCH) // _US


def plan_day(
    day: date,
    tz: str,
    window: DayWindow,
    duration_minutes: int,
    buffer_minutes: int,
    occupancies: Iterable[Occupancy],
    interval_minutes: int = 30,
) -> list[PlannedSlot]:
    """§4 candidates of ``window`` (break dropped) with their §5 conflicts.

    Runs in O(slots + occupancies · log occupancies): occupancies are sorted once
    and swept alongside the ascending slots.
    """
    if window.day != day:
        raise ValueError(f"window is for {window.day}, not {day}")
    if duration_minutes < 1 or interval_minutes < 1:
        raise ValueError("duration_minutes and interval_minutes must be >= 1")
    if buffer_minutes < 0:
        raise ValueError("buffer_minutes must be >= 0")
    if window.window is None:
        return []

    zone = ZoneInfo(tz)
    w0 = local_instant(day, window.window[0], zone)
    w1 = local_instant(day, window.window[1], zone)
    b0 = b1 = None
    if window.break_ is not None:
        b0 = local_instant(day, window.break_[0], zone)
        b1 = local_instant(day, window.break_[1], zone)
        if b1 <= b0:  # degenerate break (e.g. inside a DST gap): nothing to drop
            b0 = b1 = None

    duration = timedelta(minutes=duration_minutes)
    step = timedelta(minutes=interval_minutes)
    buf = timedelta(minutes=buffer_minutes)

    # R conflicts with [s, e) iff  s < R.end + buf  and  R.start - buf < e,
    # i.e. s - buf < R.end  and  R.start < e + buf  (buffer moved to the UTC side,
    # so occupancies may carry any tzinfo).
    occ = sorted(occupancies, key=lambda o: o.start)
    n = len(occ)
    i = 0
    latest_booking_end: datetime | None = None  # max R.end over admitted bookings
    holds: list[tuple[int, int, datetime, datetime]] = []  # (-expires_us, seq, end, expires)

    out: list[PlannedSlot] = []
    k = 0
    while True:
        s = w0 + k * step
        e = s + duration
        if e > w1:
            break
        k += 1
        # admit every occupancy starting before e + buf (e only grows)
        limit = e + buf
        while i < n and occ[i].start < limit:
            o = occ[i]
            if o.kind == "booking":
                if latest_booking_end is None or o.end > latest_booking_end:
                    latest_booking_end = o.end
            else:
                assert o.expires_at is not None
                heapq.heappush(holds, (-_us(o.expires_at), i, o.end, o.expires_at))
            i += 1
        if b0 is not None and s < b1 and b0 < e:
            continue
        floor = s - buf
        booked = latest_booking_end is not None and floor < latest_booking_end
        # drop holds that ended before this slot (s only grows, so they never return)
        while holds and not floor < holds[0][2]:
            heapq.heappop(holds)
        held_until = holds[0][3].astimezone(UTC) if holds else None
        out.append(PlannedSlot(start=s, end=e, booked=booked, held_until=held_until))
    return out


def is_bookable_date(day: date, tz: str, now: datetime, max_advance_days: int) -> bool:
    """§2: ``day`` is neither before today nor after today + max_advance_days,
    "today" being ``now``'s date in the stylist's zone ``tz``."""
    _require_aware(now, "now")
    today = now.astimezone(ZoneInfo(tz)).date()
    return today <= day <= today + timedelta(days=max_advance_days)


def resolve_slots(
    planned: Iterable[PlannedSlot], now: datetime, min_advance_hours: int
) -> list[Slot]:
    """Request-time part: drop starts before now + min_advance; status
    booked > reserved (a conflicting hold expiring after ``now``) > available."""
    _require_aware(now, "now")
    cutoff = min_advance_cutoff(now, min_advance_hours)
    return [
        Slot(start=p.start, end=p.end, status=slot_status(p, now))
        for p in planned if not p.start < cutoff
    ]


def min_advance_cutoff(now: datetime, min_advance_hours: int) -> datetime:
    """§4: a slot starting before this instant is not offered."""
    return now + timedelta(hours=min_advance_hours)


def slot_status(planned: PlannedSlot, now: datetime) -> str:
    """§5 at request time: booked > reserved (a conflicting hold expiring after
    ``now``) > available."""
    if planned.booked:
        return "booked"
    if planned.held_until is not None and planned.held_until > now:
        return "reserved"
    return "available"


def candidate_grid(
    day: date, tz: str, window: tuple[time, time], duration_minutes: int, interval_minutes: int = 30
) -> list[tuple[datetime, datetime]]:
    """§4's candidates ``[t_k, t_k + duration)`` of a local window, break not removed
    (the troubleshooter shows what :func:`plan_day` dropped, and why)."""
    zone = ZoneInfo(tz)
    w0, w1 = local_instant(day, window[0], zone), local_instant(day, window[1], zone)
    duration, step = timedelta(minutes=duration_minutes), timedelta(minutes=interval_minutes)
    out = []
    k = 0
    while w0 + k * step + duration <= w1:
        out.append((w0 + k * step, w0 + k * step + duration))
        k += 1
    return out


def compute_slots(
    day: date,
    tz: str,
    base_rows: Iterable[BaseRow],
    overrides: Iterable[OverrideRow],
    occupancies: Iterable[Occupancy],
    *,
    duration_minutes: int,
    buffer_minutes: int,
    min_advance_hours: int,
    max_advance_days: int,
    now: datetime,
    interval_minutes: int = 30,
) -> list[Slot]:
    """is_bookable_date + day_window + plan_day + resolve_slots ([] if not bookable)."""
    if not is_bookable_date(day, tz, now, max_advance_days):
        return []
    window = day_window(day, base_rows, overrides)
    planned = plan_day(
        day, tz, window, duration_minutes, buffer_minutes, occupancies, interval_minutes
    )
    return resolve_slots(planned, now, min_advance_hours)
