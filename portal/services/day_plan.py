"""`DayPlan`: the date-stable half of a day's answer, and its compact stored form.

Everything about (stylist, service, date) that does not depend on *now* or on the
customer: zone, price, horizon settings, and every candidate slot with its conflicts
(`booked`, `held_until`). The cache stores it; `availability.answer` renders it per
request.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from portal.domain.availability import PlannedSlot

UTC = timezone.utc


@dataclass(frozen=True)
class DayPlan:
    """Everything date-stable needed to answer a request for (stylist, service, day)."""

    stylist_timezone: str
    price_cents: int
    min_advance_hours: int
    max_advance_days: int
    slots: tuple[PlannedSlot, ...]  # empty if not offered / no window / inactive

    def to_json(self) -> dict[str, Any]:
        """Compact and exact: instants as integer epoch microseconds, one duration for
        all slots (they share it).

        ``{"v": 1, "tz", "p", "a", "m", "d": duration_us, "s": [[start_us, booked 0|1, held_until_us|null], ...]}``
        """
        duration = _micros(self.slots[0].end) - _micros(self.slots[0].start) if self.slots else 0
        return {
            "v": 1, "tz": self.stylist_timezone, "p": self.price_cents,
            "a": self.min_advance_hours, "m": self.max_advance_days, "d": duration,
            "s": [
                [_micros(s.start), 1 if s.booked else 0,
                 None if s.held_until is None else _micros(s.held_until)]
                for s in self.slots
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DayPlan:
        if data.get("v") != 1:
            raise ValueError(f"unknown DayPlan format {data.get('v')!r}")
        duration = timedelta(microseconds=int(data["d"]))
        slots = []
        for start, booked, held in data["s"]:
            begin = _instant(start)
            slots.append(PlannedSlot(
                start=begin, end=begin + duration, booked=bool(booked),
                held_until=None if held is None else _instant(held),
            ))
        return cls(
            stylist_timezone=data["tz"], price_cents=int(data["p"]),
            min_advance_hours=int(data["a"]), max_advance_days=int(data["m"]), slots=tuple(slots),
        )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(value: datetime) -> int:
    return (value - _EPOCH) // timedelta(microseconds=1)


def _instant(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=int(micros))


