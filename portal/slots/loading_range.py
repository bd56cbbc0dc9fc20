"""Loading many days of one stylist at once (the days endpoint, warming, a miss's siblings).

The same rules as `loading.load_day`, batched: whatever the number of days,
three queries read the base rows in force over the range, the overrides covering it
(the stylist's own and business-wide) and the occupancies over the union of the
days' spans; the pure engine then plans each day. Days outside the bookable range
are not planned (slots-api.md "Dates outside the bookable range").
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select, text, union_all
from sqlalchemy.orm import Session

from portal.domain.availability import Occupancy, day_window
from portal.domain.schedule_layers import DayWindow
from portal.models import ScheduleOverride, StylistSchedule
from portal.services.scheduling.schedule_rows import base_row, override_row
from portal.slots.loading import (
    FIRST_DAY, LAST_DAY, LoadedDay, Offer, known_zone, load_occupancies, load_offer, occupancy_span, plan_offer_day,
)
from portal.slots.plan import DayPlan

_sched, _ov = StylistSchedule.__table__, ScheduleOverride.__table__

_base_columns = (
    _sched.c.day_of_week, _sched.c.start_time_local, _sched.c.end_time_local, _sched.c.break_start_time_local,
    _sched.c.break_end_time_local, _sched.c.effective_from, _sched.c.effective_until,
)

_override_columns = (
    _ov.c.id, _ov.c.override_type, _ov.c.applies_to_all_stylists, _ov.c.start_date, _ov.c.end_date,
    _ov.c.is_closed, _ov.c.override_start_time, _ov.c.override_end_time, _ov.c.priority,
    _ov.c.created_at, _ov.c.reason,
)


@dataclass(frozen=True)
class RangeRows:
    """Each day's window and the occupancies over all of their spans."""

    windows: dict[date, DayWindow]
    occupancies: list[Occupancy]


def load_range_rows(session: Session, stylist_id: uuid.UUID, tz: str, buffer_minutes: int,
                    days: list[date]) -> RangeRows:
    """Three queries for any number of `days` (ascending) of one stylist."""
    first, last = days[0], days[-1]
    schedule = session.execute(
        select(*_base_columns).where(
            _sched.c.stylist_user_id == stylist_id, _sched.c.is_active, _sched.c.effective_from <= last,
            or_(_sched.c.effective_until.is_(None), _sched.c.effective_until >= first)))
    base_rows = [base_row(r) for r in schedule]
    covering = (_ov.c.start_date <= last, _ov.c.end_date >= first)
    overrides = [override_row(r) for r in session.execute(union_all(
        select(*_override_columns).where(_ov.c.stylist_user_id == stylist_id, *covering),
        select(*_override_columns).where(text("applies_to_all_stylists"), *covering),
    ))]
    windows = {day: day_window(day, base_rows, [o for o in overrides if o.covers(day)]) for day in days}
    spans = [s for s in (occupancy_span(d, tz, w, buffer_minutes) for d, w in windows.items()) if s]
    occupancies = (load_occupancies(session, stylist_id, min(s[0] for s in spans), max(s[1] for s in spans))
                   if spans else [])
    return RangeRows(windows, occupancies)


def plan_range(days: list[date], offer: Offer, rows: RangeRows, interval_minutes: int) -> dict[date, LoadedDay]:
    """The pure engine over loaded rows (occupancies filtered per day by the engine)."""
    return {day: plan_offer_day(day, offer, rows.windows[day], rows.occupancies, interval_minutes)
            for day in days}


def load_days(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, days: list[date],
              interval_minutes: int, now: datetime) -> dict[date, LoadedDay]:
    """Every day of `days` (ascending) for one offer in at most four queries; raises
    `NotFound` like `load_day`. Days outside the bookable range: `bookable=False`."""
    offer = load_offer(session, stylist_id, service_id)
    empty = DayPlan(offer.timezone, offer.price_cents, offer.min_advance_hours, offer.max_advance_days, ())
    if not offer.offered or not known_zone(offer.timezone, stylist_id):
        return {day: LoadedDay(empty) for day in days}
    wanted = [d for d in days if FIRST_DAY <= d <= LAST_DAY and empty.bookable_on(d, now)]
    result = {day: LoadedDay(empty, bookable=False) for day in days}
    if wanted:
        rows = load_range_rows(session, stylist_id, offer.timezone, offer.buffer_minutes, wanted)
        result.update(plan_range(wanted, offer, rows, interval_minutes))
    return result
