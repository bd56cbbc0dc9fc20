"""The desk's free times (front-desk.md "Taking a booking"): the public endpoint's own
engine and cache, with the desk's one difference — staff may book inside the service's
min-advance window (never in the past).

`_engine_plan` is the ONE call into the slot engine: it reads the day's plan through the
slots package's façade (`portal.slots.day_plan`, the same cache the public endpoint
uses), so the grid, statuses, breaks, closures and buffers are the endpoint's.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.availability import Occupancy, day_window, slot_status
from portal.models import Service, StylistProfile, StylistService
from portal import clock, slots
from portal.slots.loading import known_zone, load_day_rows, load_occupancies, occupancy_span, plan_offer_day
from portal.slots.plan import DayPlan
from portal.slots.store import Key

UTC = timezone.utc


@dataclass(frozen=True)
class FreeTime:
    stylist_id: uuid.UUID
    start: datetime  # aware UTC
    end: datetime
    price_cents: int


def _engine_plan(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date,
                 now: datetime, fresh: bool = False) -> DayPlan | None:
    """The day's plan from the public endpoint's engine and cache (None: out of range);
    `fresh`: computed on the session from the rows as they are now, the cache neither read
    nor written (a refused write's fresh list, while other writers may hold the day)."""
    settings, key = current_app.extensions["slots"], Key(stylist_id, service_id, day)
    if fresh:
        return slots.uncached(settings, session, key, now).plan
    return slots.day_plan(settings, session, key, now).plan


def free_in_plan(plan: DayPlan | None, stylist_id: uuid.UUID, day: date, now: datetime) -> list[FreeTime]:
    """The plan's available starts from ``now`` on (no min-advance cut-off)."""
    if plan is None or not plan.slots or not plan.bookable_on(day, now):
        return []
    return [FreeTime(stylist_id, s.start, s.end, plan.price_cents)
            for s in plan.slots if s.start >= now and slot_status(s, now) == "available"]


def free_times(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date,
               now: datetime | None = None, fresh: bool = False) -> list[FreeTime]:
    """One stylist's free starts for the service on ``day`` (the stylist's date)."""
    now = now or clock.now()
    return free_in_plan(_engine_plan(session, stylist_id, service_id, day, now, fresh), stylist_id, day, now)


def stylists_offering(session: Session, service_id: uuid.UUID) -> list[StylistProfile]:
    """Active stylists who offer the (active) service, by name: "any stylist"."""
    return list(session.scalars(
        select(StylistProfile)
        .join(StylistService, StylistService.stylist_user_id == StylistProfile.user_id)
        .join(Service, Service.id == StylistService.service_id)
        .where(StylistService.service_id == service_id, StylistService.is_available, StylistProfile.is_active,
               Service.is_active)
        .order_by(StylistProfile.display_name, StylistProfile.user_id)))


def any_stylist_free_times(session: Session, service_id: uuid.UUID, day: date,
                           now: datetime | None = None) -> list[FreeTime]:
    """Every offering stylist's free starts, by time then stylist name."""
    now = now or clock.now()
    found: list[tuple[FreeTime, int]] = []
    for rank, stylist in enumerate(stylists_offering(session, service_id)):
        found += [(t, rank) for t in free_times(session, stylist.user_id, service_id, day, now)]
    return [t for t, _ in sorted(found, key=lambda pair: (pair[0].start, pair[1]))]


def next_walk_in_start(times: list[FreeTime]) -> FreeTime | None:
    """A walk-in takes the next start on the grid."""
    return min(times, key=lambda t: t.start) if times else None


def move_free_times(session: Session, booking, stylist_id: uuid.UUID, day: date,
                    now: datetime | None = None) -> list[FreeTime]:
    """The free starts a booking may move to: `free_times`, except on its own stylist's
    own day, where the same engine plans the day without the booking itself (uncached),
    so a shift overlapping its own time is offered, as `move_booking` allows it."""
    now = now or clock.now()
    zone = session.get(StylistProfile, booking.stylist_user_id).timezone
    if stylist_id != booking.stylist_user_id or booking.start_time.astimezone(ZoneInfo(zone)).date() != day:
        return free_times(session, stylist_id, booking.service_id, day, now)
    offer, base_rows, overrides = load_day_rows(session, stylist_id, booking.service_id, day)
    if not offer.offered or not known_zone(offer.timezone, stylist_id):
        return []
    window = day_window(day, base_rows, overrides)
    span = occupancy_span(day, offer.timezone, window, offer.buffer_minutes)
    if span is None:
        return []
    own = Occupancy(booking.start_time, booking.end_time, "booking")
    occupancies = list(load_occupancies(session, stylist_id, *span))
    if own in occupancies:
        occupancies.remove(own)
    interval = int(current_app.config["SLOT_INTERVAL_MINUTES"])
    plan = plan_offer_day(day, offer, window, occupancies, interval).plan
    return free_in_plan(plan, stylist_id, day, now)
