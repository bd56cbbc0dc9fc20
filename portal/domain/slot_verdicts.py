"""Why is this slot (not) offered? The troubleshooter's half of the availability engine.

Pure Python. :func:`explain_day` runs the very functions the slots endpoint runs —
``day_window`` (§3), ``plan_day`` (§4 candidates, break, §5 conflicts),
``is_bookable_date`` (§2), ``min_advance_cutoff`` and ``slot_status`` (request time) —
and keeps, besides the slots the endpoint returns, every candidate it dropped, each
with the first rule that dropped it (in the engine's order: offer, date, hours, break,
cut-off, conflicts). So the slots it calls available are exactly the endpoint's
``isAvailable`` slots, and its statuses the endpoint's statuses.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from portal.domain.availability import (
    Occupancy, candidate_grid, is_bookable_date, local_instant, min_advance_cutoff, plan_day, slot_status,
)
from portal.domain.schedule_layers import BaseRow, DayWindow, OverrideRow, day_window

__all__ = ["VERDICTS", "SLOT_STATUS_OF", "OFFER_PROBLEMS", "BookingRef", "SlotVerdict", "DayExplanation",
           "explain_day"]

# Every verdict, in the order the engine applies its rules (the first that applies wins).
VERDICTS = (
    "inactive",  # §1 the stylist or the service is switched off
    "not_offered",  # §1 the stylist does not offer the service
    "past_day",  # §2 before today
    "past_horizon",  # §2 after today + max_advance_days
    "outside_hours",  # §3 an override (or the weekly row) leaves the slot outside the window
    "break",  # §4 overlaps the break
    "too_soon",  # §4 starts before now + min_advance_hours
    "booked",  # §5 a booking overlaps the slot
    "buffer",  # §5 a booking is within the stylist's buffer of the slot
    "held",  # §5 a live hold conflicts
    "available",
)
OFFER_PROBLEMS = ("inactive", "not_offered")
# The endpoint's status of a slot it returns; verdicts missing here are not returned.
SLOT_STATUS_OF = {"available": "available", "booked": "booked", "buffer": "booked", "held": "reserved"}


@dataclass(frozen=True)
class BookingRef:
    """An occupying booking, to say which one a slot collides with."""

    ref: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class SlotVerdict:
    start: datetime  # aware UTC
    end: datetime
    verdict: str
    booking: BookingRef | None = None  # booked / buffer
    held_until: datetime | None = None  # held

    @property
    def status(self) -> str | None:
        """What the slots endpoint says about this slot (None: it does not return it)."""
        return SLOT_STATUS_OF.get(self.verdict)


@dataclass(frozen=True)
class DayExplanation:
    day: date
    window: DayWindow
    day_verdict: str | None  # a verdict that holds for the whole day (offer, date), else None
    cutoff: datetime
    slots: tuple[SlotVerdict, ...]


def _outside_candidates(day: date, tz: str, window: DayWindow, duration: int, interval: int,
                        effective: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The weekly row's candidates that the day's effective window no longer holds."""
    base: BaseRow | None = window.base_row
    if base is None or window.window == (base.start, base.end):
        return []
    taken = {start for start, _ in effective}
    inside = None
    if window.window is not None:
        zone = ZoneInfo(tz)
        inside = (local_instant(day, window.window[0], zone), local_instant(day, window.window[1], zone))
    return [
        (s, e) for s, e in candidate_grid(day, tz, (base.start, base.end), duration, interval)
        if s not in taken and not (inside is not None and inside[0] <= s and e <= inside[1])
    ]


def _collision(start: datetime, end: datetime, buffer: timedelta,
               bookings: Sequence[BookingRef]) -> tuple[str, BookingRef | None]:
    direct = [b for b in bookings if start < b.end and b.start < end]
    if direct:
        return "booked", min(direct, key=lambda b: b.start)
    near = [b for b in bookings if start < b.end + buffer and b.start - buffer < end]
    if near:
        return "buffer", min(near, key=lambda b: abs(b.start - start))
    return "booked", None


def explain_day(
    day: date,
    tz: str,
    base_rows: Iterable[BaseRow],
    overrides: Iterable[OverrideRow],
    occupancies: Iterable[Occupancy],
    bookings: Sequence[BookingRef] = (),
    *,
    offer_problem: str | None,
    duration_minutes: int,
    buffer_minutes: int,
    min_advance_hours: int,
    max_advance_days: int,
    now: datetime,
    interval_minutes: int = 30,
) -> DayExplanation:
    """Every candidate slot of ``day`` with its verdict (see the module's docstring).

    ``occupancies`` are what the endpoint's loader reads; ``bookings`` name the
    occupying bookings among them (only used to say which one a slot collides with).
    """
    if offer_problem is not None and offer_problem not in OFFER_PROBLEMS:
        raise ValueError(f"offer_problem must be one of {OFFER_PROBLEMS}")
    window = day_window(day, list(base_rows), list(overrides))
    planned = plan_day(day, tz, window, duration_minutes, buffer_minutes, occupancies, interval_minutes)
    by_start = {p.start: p for p in planned}
    effective = (candidate_grid(day, tz, window.window, duration_minutes, interval_minutes)
                 if window.window is not None else [])
    outside = set(_outside_candidates(day, tz, window, duration_minutes, interval_minutes, effective))

    day_verdict = offer_problem
    if day_verdict is None and not is_bookable_date(day, tz, now, max_advance_days):
        day_verdict = "past_day" if day < now.astimezone(ZoneInfo(tz)).date() else "past_horizon"
    cutoff = min_advance_cutoff(now, min_advance_hours)
    buffer = timedelta(minutes=buffer_minutes)

    out: list[SlotVerdict] = []
    for start, end in sorted(set(effective) | outside):
        planned_slot = by_start.get(start)
        if day_verdict is not None:
            out.append(SlotVerdict(start, end, day_verdict))
        elif (start, end) in outside:
            out.append(SlotVerdict(start, end, "outside_hours"))
        elif planned_slot is None:
            out.append(SlotVerdict(start, end, "break"))
        elif start < cutoff:
            out.append(SlotVerdict(start, end, "too_soon"))
        else:
            status = slot_status(planned_slot, now)
            if status == "booked":
                verdict, booking = _collision(start, end, buffer, bookings)
                out.append(SlotVerdict(start, end, verdict, booking=booking))
            elif status == "reserved":
                out.append(SlotVerdict(start, end, "held", held_until=planned_slot.held_until))
            else:
                out.append(SlotVerdict(start, end, "available"))
    return DayExplanation(day=day, window=window, day_verdict=day_verdict, cutoff=cutoff, slots=tuple(out))
