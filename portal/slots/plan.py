"""What a day's answer is made of, and the two forms it travels in.

- `DayPlan`: everything about (stylist, service, date) that does not depend on *now* or
  on the customer — zone, price, horizon settings, and every candidate slot with its
  conflicts (`booked`, `held_until`). The cache stores it; every request renders it.
- The stored form (`encode` / `decode`): compact JSON, instants as integer epoch
  microseconds, one duration, tagged with the slot interval (an entry made for another
  interval or format reads as a miss).
- The API's form (slots-api.md "200 answer"): `answer` (the request-time rules —
  today/horizon, min-advance cut-off, hold expiry — and the camelCase objects in the
  customer's zone), `summary` (one date of the days endpoint) and `body` (the bytes, as
  Flask's `jsonify` makes them).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from portal.domain.availability import PlannedSlot, Slot, is_bookable_date, resolve_slots

UTC = timezone.utc
HORIZON_CAP_DAYS = 36500  # max_advance_days is clamped to a century when applied
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Answer:
    """What an endpoint answers: the body's bytes, whether it came from the cache, and
    when (the oldest of) its entries were computed."""

    body: bytes
    hit: bool
    computed_at: datetime


@dataclass(frozen=True)
class DayPlan:
    """Everything date-stable needed to answer a request for (stylist, service, day)."""

    stylist_timezone: str
    price_cents: int
    min_advance_hours: int
    max_advance_days: int
    slots: tuple[PlannedSlot, ...]  # empty if not offered / no window / inactive

    def bookable_on(self, day: date, now: datetime) -> bool:
        """availability.md §2 for the plan's stylist zone and service horizon."""
        return is_bookable_date(day, self.stylist_timezone, now, min(self.max_advance_days, HORIZON_CAP_DAYS))

    def to_json(self) -> dict[str, Any]:
        """``{"v": 1, "tz", "p", "a", "m", "d": duration_us, "s": [[start_us, booked 0|1, held_until_us|null], ...]}``"""
        duration = _micros(self.slots[0].end) - _micros(self.slots[0].start) if self.slots else 0
        return {
            "v": 1, "tz": self.stylist_timezone, "p": self.price_cents,
            "a": self.min_advance_hours, "m": self.max_advance_days, "d": duration,
            "s": [[_micros(s.start), 1 if s.booked else 0, None if s.held_until is None else _micros(s.held_until)]
                  for s in self.slots],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DayPlan:
        if data.get("v") != 1:
            raise ValueError(f"unknown DayPlan format {data.get('v')!r}")
        duration = timedelta(microseconds=int(data["d"]))
        slots = []
        for start, booked, held in data["s"]:
            begin = _instant(start)
            slots.append(PlannedSlot(start=begin, end=begin + duration, booked=bool(booked),
                                     held_until=None if held is None else _instant(held)))
        return cls(stylist_timezone=data["tz"], price_cents=int(data["p"]), min_advance_hours=int(data["a"]),
                   max_advance_days=int(data["m"]), slots=tuple(slots))


def _micros(value: datetime) -> int:
    return (value - _EPOCH) // timedelta(microseconds=1)


def _instant(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=int(micros))


# --- the stored form ------------------------------------------------------------------

def encode(plan: DayPlan, interval_minutes: int) -> str:
    return json.dumps({"i": interval_minutes, **plan.to_json()}, separators=(",", ":"))


def decode(data: str | bytes, interval_minutes: int) -> DayPlan | None:
    """The stored plan, or None when it was made for another interval or format (a miss)."""
    try:
        parsed = json.loads(data)
        return DayPlan.from_json(parsed) if parsed.get("i") == interval_minutes else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


# --- the API's form -------------------------------------------------------------------

def answer(plan: DayPlan | None, day: date, now: datetime, customer_tz: str) -> list[dict]:
    """The slots endpoint's objects at `now` (`plan` None: outside the bookable range, `[]`)."""
    if plan is None or not plan.slots or not plan.bookable_on(day, now):
        return []
    return [render_slot(slot, customer_tz, plan.price_cents)
            for slot in resolve_slots(plan.slots, now, plan.min_advance_hours)]


def summary(plan: DayPlan | None, day: date, now: datetime, customer_tz: str) -> dict:
    """One date of the days endpoint: how many `isAvailable` slots the slots endpoint
    would return now, and the first of them."""
    result = {"date": day.isoformat(), "availableSlots": 0, "firstAvailableUtc": None, "firstAvailableLocal": None}
    if plan is None or not plan.slots or not plan.bookable_on(day, now):
        return result
    available = [s for s in resolve_slots(plan.slots, now, plan.min_advance_hours) if s.status == "available"]
    if available:
        first = render_slot(available[0], customer_tz, plan.price_cents)
        result.update(availableSlots=len(available), firstAvailableUtc=first["slotStartUtc"],
                      firstAvailableLocal=first["slotStartLocal"])
    return result


def body(value: Any) -> bytes:
    """JSON bytes exactly as Flask's default provider answers (sorted keys, compact, a newline)."""
    return (json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":")) + "\n").encode()


def render_slot(slot: Slot, customer_tz: str, price_cents: int) -> dict:
    """The camelCase object of slots-api.md's 200 answer."""
    zone = ZoneInfo(customer_tz)
    return {
        "slotStartUtc": _utc_text(slot.start),
        "slotEndUtc": _utc_text(slot.end),
        "slotStartLocal": _local_text(slot.start, zone),
        "slotEndLocal": _local_text(slot.end, zone),
        "slotDisplay": _display(slot.start, zone),
        "status": slot.status,
        "isAvailable": slot.status == "available",
        "priceCents": price_cents,
    }


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local_text(value: datetime, zone: ZoneInfo) -> str:
    return value.astimezone(zone).replace(microsecond=0).isoformat(timespec="seconds")


def _display(value: datetime, zone: ZoneInfo) -> str:
    local = value.astimezone(zone)
    hour12 = local.hour % 12 or 12
    return f"{hour12:02d}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
