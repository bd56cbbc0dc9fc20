"""`flask warm-cache` and `flask prune-cache` (operations.md "Commands").

Warming is batch-efficient: for one stylist, every offered service and every day of
the range share SIX queries (generations, profile, offers, base rows, overrides,
occupancies), then the pure engine (`day_window` + `plan_day`) plans each
(service, day) and one executemany upsert stores them. The generations are read
first, as on a miss, so an entry computed from rows a concurrent write has since
changed is never served (docs/architecture.md "Availability cache").
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, or_, select, text

from portal.domain.availability import BaseRow, OverrideRow, day_window, plan_day, weekday_sunday0
from portal.models import (
    Booking, ScheduleOverride, Service, StylistProfile, StylistSchedule, StylistService,
)
from portal.services.availability import DayPlan, _known_zone, load_occupancies
from portal.services.slot_cache import Generations, _params, clock, read_generations, store
from portal.services.audit import audit_exempt


@dataclass(frozen=True)
class WarmResult:
    stylists: int
    entries: int


def stylists_to_warm(session, top: int | None) -> list[uuid.UUID]:
    """Active stylists, most-booked first (all of them unless `top` is given)."""
    booked = func.count(Booking.id)
    statement = (
        select(StylistProfile.user_id)
        .outerjoin(Booking, Booking.stylist_user_id == StylistProfile.user_id)
        .where(StylistProfile.is_active)
        .group_by(StylistProfile.user_id)
        .order_by(booked.desc(), StylistProfile.user_id)
    )
    if top:
        statement = statement.limit(top)
    return list(session.scalars(statement))


@audit_exempt("precomputes derived cache entries (cron); no business data changes")
def warm(session, days: int, top: int | None = None,
         progress: Callable[[Iterable], Iterable] = lambda items: items) -> WarmResult:
    session.commit()  # a fresh snapshot
    ids = stylists_to_warm(session, top)
    session.commit()
    entries = 0
    for stylist_id in progress(ids):
        entries += warm_stylist(session, stylist_id, days)
    return WarmResult(len(ids), entries)


@audit_exempt("precomputes derived cache entries; no business data changes")
def warm_stylist(session, stylist_id: uuid.UUID, days: int) -> int:
    """Plan and store every offered service × the next `days` days of one stylist."""
    config = current_app.config
    interval = int(config["SLOT_INTERVAL_MINUTES"])
    conn = session.connection()
    dialect = conn.dialect.name
    now = clock()
    gens: Generations = read_generations(conn, dialect, stylist_id)  # 1. before any data
    profile = session.execute(  # 2
        select(StylistProfile.timezone, StylistProfile.booking_buffer_minutes, StylistProfile.is_active)
        .where(StylistProfile.user_id == stylist_id)
    ).one_or_none()
    if profile is None or not profile.is_active:
        session.commit()
        return 0
    tz = profile.timezone
    if not _known_zone(tz, stylist_id):  # logged; its requests compute (empty) answers
        session.commit()
        return 0
    first = now.astimezone(ZoneInfo(tz)).date()
    last = first + timedelta(days=days - 1)
    offers = session.execute(  # 3
        select(Service.id, Service.duration_minutes, Service.base_price_cents, Service.min_advance_hours,
               Service.max_advance_days, StylistService.custom_price_cents, StylistService.custom_duration_minutes)
        .join(StylistService, StylistService.service_id == Service.id)
        .where(StylistService.stylist_user_id == stylist_id, StylistService.is_available, Service.is_active)
    ).all()
    base_rows = [
        BaseRow(day_of_week=r.day_of_week, start=r.start_time_local, end=r.end_time_local,
                break_start=r.break_start_time_local, break_end=r.break_end_time_local,
                effective_from=r.effective_from, effective_until=r.effective_until)
        for r in session.execute(select(StylistSchedule).where(  # 4
            StylistSchedule.stylist_user_id == stylist_id, StylistSchedule.is_active)).scalars()
    ]
    o = ScheduleOverride
    overrides = [
        OverrideRow(id=str(r.id), override_type=r.override_type, is_stylist_specific=not r.applies_to_all_stylists,
                    start_date=r.start_date, end_date=r.end_date, is_closed=bool(r.is_closed),
                    start=r.override_start_time, end=r.override_end_time, priority=r.priority,
                    created_at=r.created_at, reason=r.reason)
        for r in session.execute(select(o).where(  # 5
            or_(o.stylist_user_id == stylist_id, o.applies_to_all_stylists),
            o.start_date <= last, o.end_date >= first)).scalars()
    ]
    midnight = datetime.combine(first, datetime.min.time(), tzinfo=ZoneInfo(tz))
    occupancies = load_occupancies(  # 6
        session, stylist_id, midnight - timedelta(days=1), midnight + timedelta(days=days + 1))

    plans: list[tuple[uuid.UUID, date, DayPlan]] = []
    for offer in offers:
        duration = offer.custom_duration_minutes or offer.duration_minutes
        price = offer.custom_price_cents if offer.custom_price_cents is not None else offer.base_price_cents
        for n in range(days):
            day = first + timedelta(days=n)
            window = day_window(day, [b for b in base_rows if b.day_of_week == weekday_sunday0(day)],
                                [x for x in overrides if x.covers(day)])
            slots = () if window.window is None else tuple(plan_day(
                day, tz, window, duration, profile.booking_buffer_minutes, occupancies, interval))
            plans.append((offer.id, day, DayPlan(tz, price, offer.min_advance_hours, offer.max_advance_days, slots)))
    if dialect == "sqlite":
        session.commit()  # end the read snapshot before taking the write lock
    conn = session.connection()
    ttl = int(config["AVAILABILITY_CACHE_TTL_SECONDS"])
    for service_id, day, plan in plans:
        store(conn, dialect, _params(dialect, stylist_id, service_id, day), plan, gens, now, ttl, interval)
    session.commit()
    return len(plans)


PRUNE = """
DELETE FROM {p}availability_cache
WHERE expires_at <= :now
   OR stylist_generation <> coalesce(
        (SELECT g.generation FROM {p}availability_generation g WHERE g.scope = {p}availability_cache.stylist_user_id), 0)
   OR global_generation <> coalesce(
        (SELECT g.generation FROM {p}availability_generation g WHERE g.scope = :global_scope), 0)
"""
PRUNE_STATS = "DELETE FROM {p}slot_request_stats WHERE minute < :before"
STATS_KEPT = timedelta(days=8)


@audit_exempt("deletes expired or superseded cache entries (cron); no business data changes")
def prune(session) -> tuple[int, int]:
    """Delete expired entries and entries a write has made stale; old statistics too."""
    from portal.models.logs import GLOBAL_SCOPE

    dialect = session.get_bind().dialect.name
    p = "private." if dialect == "postgresql" else ""
    now = clock()
    if dialect == "sqlite":
        stamp = "%Y-%m-%d %H:%M:%S.%f"
        params = {"now": now.strftime(stamp), "global_scope": str(GLOBAL_SCOPE)}
        before = (now - STATS_KEPT).strftime(stamp)
    else:
        params = {"now": now, "global_scope": GLOBAL_SCOPE}
        before = now - STATS_KEPT
    entries = session.execute(text(PRUNE.format(p=p)), params).rowcount
    stats = session.execute(text(PRUNE_STATS.format(p=p)), {"before": before}).rowcount
    session.commit()
    return entries, stats
