"""PROVISIONAL stand-in for issue 3's module (replaced by theirs at merge).

Same interface: DayPlan, NotFound, load_day_plan, answer, slot_source.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from portal.domain.availability import (
    BaseRow, Occupancy, OverrideRow, PlannedSlot, day_window, is_bookable_date, plan_day, render_slot,
    resolve_slots,
)
from portal.models import (
    Booking, BookingReservation, ScheduleOverride, Service, StylistProfile, StylistSchedule, StylistService,
)
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES

UTC = timezone.utc


HORIZON_CAP_DAYS = 36500


class NotFound(Exception):
    """No stylist or no service with the requested id (`field` names the parameter)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class DayPlan:
    """Everything date-stable needed to answer a request for (stylist, service, day)."""

    stylist_timezone: str
    price_cents: int
    min_advance_hours: int
    max_advance_days: int
    slots: tuple[PlannedSlot, ...]  # empty if not offered / no window / inactive

    def to_json(self) -> dict[str, Any]:
        """Compact form: epoch seconds; one duration for all slots (they share it).

        ``{"v": 1, "tz", "p", "a", "m", "d": seconds, "s": [[start, booked 0|1, held_until|null], ...]}``
        """
        duration = int((self.slots[0].end - self.slots[0].start).total_seconds()) if self.slots else 0
        return {
            "v": 1, "tz": self.stylist_timezone, "p": self.price_cents,
            "a": self.min_advance_hours, "m": self.max_advance_days, "d": duration,
            "s": [
                [_epoch(s.start), 1 if s.booked else 0,
                 None if s.held_until is None else _epoch(s.held_until)]
                for s in self.slots
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DayPlan:
        if data.get("v") != 1:
            raise ValueError(f"unknown DayPlan format {data.get('v')!r}")
        duration = timedelta(seconds=int(data["d"]))
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


def _epoch(value: datetime) -> int | float:
    seconds = value.timestamp()
    return int(seconds) if seconds == int(seconds) else seconds


def _instant(seconds: int | float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def load_day_plan(session, stylist_id, service_id, day: date, interval_minutes: int) -> DayPlan:
    stylist = session.get(StylistProfile, stylist_id)
    if stylist is None:
        raise NotFound("stylistId", "No stylist with this id")
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound("serviceId", "No service with this id")
    offer = session.scalar(select(StylistService).where(
        StylistService.stylist_user_id == stylist_id, StylistService.service_id == service_id))
    empty = DayPlan(stylist.timezone, service.base_price_cents, service.min_advance_hours,
                    service.max_advance_days, ())
    if not (stylist.is_active and service.is_active and offer is not None and offer.is_available):
        return empty
    price = offer.custom_price_cents if offer.custom_price_cents is not None else service.base_price_cents
    duration = offer.custom_duration_minutes or service.duration_minutes
    rows = session.scalars(select(StylistSchedule).where(StylistSchedule.stylist_user_id == stylist_id))
    base = [BaseRow(r.day_of_week, r.start_time_local, r.end_time_local, r.break_start_time_local,
                    r.break_end_time_local, r.effective_from, r.effective_until, r.is_active) for r in rows]
    ovs = session.scalars(select(ScheduleOverride).where(
        ScheduleOverride.start_date <= day, ScheduleOverride.end_date >= day,
        (ScheduleOverride.stylist_user_id == stylist_id) | ScheduleOverride.applies_to_all_stylists))
    overrides = [OverrideRow(str(o.id), o.override_type, o.stylist_user_id is not None, o.start_date,
                             o.end_date, o.is_closed, o.override_start_time, o.override_end_time, o.priority,
                             o.created_at) for o in ovs]
    lo = datetime.combine(day, datetime.min.time(), tzinfo=UTC) - timedelta(days=2)
    hi = lo + timedelta(days=5)
    occ = [Occupancy(b.start_time, b.end_time, "booking") for b in session.scalars(select(Booking).where(
        Booking.stylist_user_id == stylist_id, Booking.status.in_(OCCUPYING_BOOKING_STATUSES),
        Booking.start_time < hi, Booking.end_time > lo))]
    occ += [Occupancy(h.start_time, h.end_time, "hold", h.expires_at) for h in session.scalars(
        select(BookingReservation).where(
            BookingReservation.stylist_user_id == stylist_id, BookingReservation.status == "reserved",
            BookingReservation.start_time < hi, BookingReservation.end_time > lo))]
    window = day_window(day, base, overrides)
    planned = plan_day(day, stylist.timezone, window, duration, stylist.booking_buffer_minutes, occ,
                       interval_minutes)
    return DayPlan(stylist.timezone, price, service.min_advance_hours, service.max_advance_days, tuple(planned))


def answer(plan: DayPlan, day: date, now: datetime, customer_tz: str) -> list[dict]:
    """The request-time part: §2 horizon, §4 min-advance, §5 hold expiry, rendering."""
    horizon = min(plan.max_advance_days, HORIZON_CAP_DAYS)
    if not plan.slots or not is_bookable_date(day, plan.stylist_timezone, now, horizon):
        return []
    slots = resolve_slots(plan.slots, now, plan.min_advance_hours)
    return [render_slot(slot, customer_tz, plan.price_cents) for slot in slots]


