"""Loading one day's availability from the database (availability.md §1–§5).

Two halves, so a cache can keep the first:

* :func:`load_day_plan` reads what one (stylist, service, date) needs — at most four
  queries whatever the size of the stylist's history, each an index lookup — and
  returns a :class:`DayPlan`: everything about that day that does not depend on
  ``now`` (offer, price, horizon settings, the planned slots with their conflicts).
* :func:`answer` applies the request-time rules (bookable date, min-advance cut-off,
  hold expiry) and renders the camelCase objects in the customer's zone.

A plan is invalidated by any write to the tables it was read from; "is the service
offered / is the stylist active" lives inside it (no offer → no slots), so it is
re-evaluated whenever those rows change.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import literal, null, or_, select, text, type_coerce, union_all
from sqlalchemy.orm import Session

from portal.domain.availability import (
    BaseRow, Occupancy, OverrideRow, PlannedSlot, day_window, is_bookable_date, local_instant,
    plan_day, render_slot, resolve_slots, weekday_sunday0,
)
from portal.models import (
    Booking, BookingReservation, ScheduleOverride, Service, StylistProfile, StylistSchedule,
    StylistService,
)
from portal.models.bookings import LONG_OCCUPANCY_WHERE, OCCUPYING_BOOKING_STATUSES
from portal.models.types import UTCDateTime

__all__ = ["DayPlan", "NotFound", "load_day_plan", "load_occupancies", "answer", "LONG_OCCUPANCY"]

UTC = timezone.utc
# Occupancies longer than this are found through the partial "long" indexes
# (migration 0003a); shorter ones through (stylist_user_id, start_time).
LONG_OCCUPANCY = timedelta(hours=24)
# Dates this far out are never bookable; refusing them keeps instant arithmetic
# clear of datetime's year 1 / year 9999 edges.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9000, 12, 31)
HORIZON_CAP_DAYS = 36500  # max_advance_days is clamped to a century when applied


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


def load_day_plan(
    session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date, interval_minutes: int
) -> DayPlan:
    """Read the day's rows (≤ 4 queries) and plan its slots; raises :class:`NotFound`."""
    offer = _load_offer(session, stylist_id, service_id)  # query 1
    tz = offer.timezone
    plan = DayPlan(tz, offer.price_cents, offer.min_advance_hours, offer.max_advance_days, ())
    if not offer.offered or not (FIRST_DAY <= day <= LAST_DAY):
        return plan
    base_rows = _load_base_rows(session, stylist_id, day)  # query 2
    overrides = _load_overrides(session, stylist_id, day)  # query 3
    window = day_window(day, base_rows, overrides)
    if window.window is None:
        return plan
    buffer = timedelta(minutes=offer.buffer_minutes)
    lo = local_instant(day, window.window[0], tz) - buffer
    hi = local_instant(day, window.window[1], tz) + buffer
    occupancies = load_occupancies(session, stylist_id, lo, hi)  # query 4
    slots = plan_day(
        day, tz, window, offer.duration_minutes, offer.buffer_minutes, occupancies, interval_minutes
    )
    return DayPlan(tz, offer.price_cents, offer.min_advance_hours, offer.max_advance_days, tuple(slots))


def answer(plan: DayPlan, day: date, now: datetime, customer_tz: str) -> list[dict]:
    """The request-time part: §2 horizon, §4 min-advance, §5 hold expiry, rendering."""
    horizon = min(plan.max_advance_days, HORIZON_CAP_DAYS)
    if not plan.slots or not is_bookable_date(day, plan.stylist_timezone, now, horizon):
        return []
    slots = resolve_slots(plan.slots, now, plan.min_advance_hours)
    return [render_slot(slot, customer_tz, plan.price_cents) for slot in slots]


# --- the queries -------------------------------------------------------------------


@dataclass(frozen=True)
class _Offer:
    timezone: str
    buffer_minutes: int
    offered: bool
    duration_minutes: int
    price_cents: int
    min_advance_hours: int
    max_advance_days: int


def _load_offer(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID) -> _Offer:
    """Stylist, service and their offer in one row (primary-key / unique lookups)."""
    anchor = select(literal(1).label("one")).subquery("anchor")
    sp, sv, ss = StylistProfile.__table__, Service.__table__, StylistService.__table__
    stmt = (
        select(
            sp.c.user_id, sp.c.timezone, sp.c.booking_buffer_minutes, sp.c.is_active,
            sv.c.id, sv.c.duration_minutes, sv.c.base_price_cents, sv.c.min_advance_hours,
            sv.c.max_advance_days, sv.c.is_active.label("service_active"),
            ss.c.id.label("offer_id"), ss.c.custom_price_cents, ss.c.custom_duration_minutes,
            ss.c.is_available,
        )
        .select_from(
            anchor.outerjoin(sp, sp.c.user_id == stylist_id)
            .outerjoin(sv, sv.c.id == service_id)
            .outerjoin(ss, (ss.c.stylist_user_id == stylist_id) & (ss.c.service_id == service_id))
        )
    )
    row = session.execute(stmt).one()
    if row.user_id is None:
        raise NotFound("stylistId", "No stylist with this id")
    if row.id is None:
        raise NotFound("serviceId", "No service with this id")
    offered = bool(row.is_active and row.service_active and row.offer_id is not None and row.is_available)
    return _Offer(
        timezone=row.timezone,
        buffer_minutes=row.booking_buffer_minutes,
        offered=offered,
        duration_minutes=row.custom_duration_minutes or row.duration_minutes,
        price_cents=row.custom_price_cents if row.custom_price_cents is not None else row.base_price_cents,
        min_advance_hours=row.min_advance_hours,
        max_advance_days=row.max_advance_days,
    )


def _load_base_rows(session: Session, stylist_id: uuid.UUID, day: date) -> list[BaseRow]:
    """The weekday's active base rows in force on ``day`` (unique index prefix)."""
    t = StylistSchedule
    rows = session.execute(
        select(
            t.start_time_local, t.end_time_local, t.break_start_time_local, t.break_end_time_local,
            t.effective_from, t.effective_until,
        ).where(
            t.stylist_user_id == stylist_id, t.day_of_week == weekday_sunday0(day), t.is_active,
            t.effective_from <= day, or_(t.effective_until.is_(None), t.effective_until >= day),
        )
    ).all()
    return [
        BaseRow(
            day_of_week=weekday_sunday0(day), start=r.start_time_local, end=r.end_time_local,
            break_start=r.break_start_time_local, break_end=r.break_end_time_local,
            effective_from=r.effective_from, effective_until=r.effective_until,
        )
        for r in rows
    ]


def _load_overrides(session: Session, stylist_id: uuid.UUID, day: date) -> list[OverrideRow]:
    """Overrides covering ``day``: the stylist's own, then the business-wide ones."""
    t = ScheduleOverride
    columns = (
        t.id, t.override_type, t.applies_to_all_stylists, t.start_date, t.end_date, t.is_closed,
        t.override_start_time, t.override_end_time, t.priority, t.created_at, t.reason,
    )
    own = select(*columns).where(t.stylist_user_id == stylist_id, t.start_date <= day, t.end_date >= day)
    shared = select(*columns).where(
        text("applies_to_all_stylists"), t.start_date <= day, t.end_date >= day
    )
    rows = session.execute(union_all(own, shared)).all()
    return [
        OverrideRow(
            id=str(r.id), override_type=r.override_type, is_stylist_specific=not r.applies_to_all_stylists,
            start_date=r.start_date, end_date=r.end_date, is_closed=bool(r.is_closed),
            start=r.override_start_time, end=r.override_end_time, priority=r.priority,
            created_at=r.created_at, reason=r.reason,
        )
        for r in rows
    ]


def load_occupancies(session: Session, stylist_id: uuid.UUID, lo: datetime, hi: datetime) -> list[Occupancy]:
    """The stylist's occupying bookings and reserved holds overlapping (lo, hi), any service.

    One UNION ALL of four index range scans: rows starting within
    [lo − 24 h, hi) through (stylist_user_id, start_time), and rows longer than 24 h
    that started earlier through the partial (stylist_user_id, end_time) indexes.
    Hold expiry is left to request time (``expires_at`` is returned).
    """
    dialect = session.get_bind().dialect.name
    long_sql = LONG_OCCUPANCY_WHERE["sqlite_where" if dialect == "sqlite" else "postgresql_where"]
    since = lo - LONG_OCCUPANCY

    def branches(model, kind: str, status_filter, expires):
        columns = (
            literal(kind).label("kind"), model.start_time.label("start_time"),
            model.end_time.label("end_time"), expires.label("expires_at"),
        )
        recent = select(*columns).where(
            model.stylist_user_id == stylist_id, status_filter,
            model.start_time >= since, model.start_time < hi, model.end_time > lo,
        )
        long_ago = select(*columns).where(
            model.stylist_user_id == stylist_id, status_filter, long_sql,
            model.end_time > lo, model.start_time < since,
        )
        return recent, long_ago

    no_expiry = type_coerce(null(), UTCDateTime())
    statement = union_all(
        *branches(BookingReservation, "hold", BookingReservation.status == "reserved",
                  BookingReservation.expires_at),
        *branches(Booking, "booking", Booking.status.in_(OCCUPYING_BOOKING_STATUSES), no_expiry),
    )
    return [
        Occupancy(start=r.start_time, end=r.end_time, kind=r.kind, expires_at=r.expires_at)
        for r in session.execute(statement).all()
    ]
