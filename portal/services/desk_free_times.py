"""The desk's free times (front-desk.md "Taking a booking"): the public endpoint's own
engine and cache, with the desk's one difference — staff may book inside the service's
min-advance window (never in the past).

`_engine_plan` is the ONE call into the slot engine: it reads the day's plan through the
same cache the public endpoint uses (`slot_source`), so the grid, statuses, breaks,
closures and buffers are the endpoint's. When the slots façade (`free_times`, issue 23)
lands, only that function is repointed.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.availability import slot_status
from portal.models import Service, StylistProfile, StylistService
from portal.services.availability import DayPlan, in_range
from portal.services.slot_cache import clock, slot_source

UTC = timezone.utc


@dataclass(frozen=True)
class FreeTime:
    stylist_id: uuid.UUID
    start: datetime  # aware UTC
    end: datetime
    price_cents: int


def _engine_plan(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date,
                 now: datetime) -> DayPlan | None:
    """The day's plan from the public endpoint's engine and cache (None: out of range)."""
    return slot_source(session, stylist_id, service_id, day, now).plan


def free_in_plan(plan: DayPlan | None, stylist_id: uuid.UUID, day: date, now: datetime) -> list[FreeTime]:
    """The plan's available starts from ``now`` on (no min-advance cut-off)."""
    if plan is None or not plan.slots or not in_range(plan, day, now):
        return []
    return [FreeTime(stylist_id, s.start, s.end, plan.price_cents)
            for s in plan.slots if s.start >= now and slot_status(s, now) == "available"]


def free_times(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date,
               now: datetime | None = None) -> list[FreeTime]:
    """One stylist's free starts for the service on ``day`` (the stylist's date)."""
    now = now or clock()
    return free_in_plan(_engine_plan(session, stylist_id, service_id, day, now), stylist_id, day, now)


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
    now = now or clock()
    found: list[tuple[FreeTime, int]] = []
    for rank, stylist in enumerate(stylists_offering(session, service_id)):
        found += [(t, rank) for t in free_times(session, stylist.user_id, service_id, day, now)]
    return [t for t, _ in sorted(found, key=lambda pair: (pair[0].start, pair[1]))]


def next_walk_in_start(times: list[FreeTime]) -> FreeTime | None:
    """A walk-in takes the next start on the grid."""
    return min(times, key=lambda t: t.start) if times else None
