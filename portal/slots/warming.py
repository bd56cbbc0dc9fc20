"""`flask warm-cache` and `flask prune-cache` (operations.md "Commands").

Warming skips what is already right: per stylist, one statement lists the entries of
the range that are present and fresh (the same proof as a hit), one the services on
offer; only the missing or stale (service, date) pairs are computed. Those share
five reads whatever their number — the counters (coarse and per day, read first, as
on a miss, so an entry computed from rows a concurrent write has since changed is
never served), base rows, overrides, occupancies — then the pure engine plans each
pair and the store saves them in one round trip.

Everything runs on the store's own connection in autocommit (each read its own
snapshot, after the counters were read), so a long run holds no lock and a failure
loses one stylist's entries; the store's `save` and `prune` are its only writes.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from portal.models import Booking, Service, StylistProfile, StylistService
from portal.services.audit import audit_exempt
from portal.services.scheduling import schedule_rows
from portal.slots.loading import Offer, known_zone
from portal.slots.loading_range import load_range_rows, plan_range
from portal.slots.miss import entry_of
from portal.slots.plan import HORIZON_CAP_DAYS
from portal.slots.settings import SlotSettings
from portal.slots.store import Key

@dataclass(frozen=True)
class WarmResult:
    stylists: int
    entries: int  # entries computed and stored (fresh ones are skipped)


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
def warm(settings: SlotSettings, days: int, top: int | None = None,
         progress: Callable[[list], Iterable] = lambda items: items) -> WarmResult:
    """Warm the chosen stylists; `progress` wraps the list (the command's progress bar)."""
    ids = stylists_to_warm(settings.store.reader(), top)
    return WarmResult(len(ids), sum(warm_stylist(settings, stylist_id, days) for stylist_id in progress(ids)))


@audit_exempt("precomputes derived cache entries; no business data changes")
def warm_stylist(settings: SlotSettings, stylist_id: uuid.UUID, days: int, only: date | None = None) -> int:
    """Compute and store the missing or stale entries of every offered service × the
    next `days` days of one stylist (or × the single date `only`); the number stored.
    Dates past a service's horizon are skipped (never cached)."""
    store = settings.store
    conn = store.reader()
    now = settings.clock.now()
    profile = conn.execute(
        select(StylistProfile.timezone, StylistProfile.booking_buffer_minutes, StylistProfile.is_active)
        .where(StylistProfile.user_id == stylist_id)
    ).one_or_none()
    if profile is None or not profile.is_active or not known_zone(profile.timezone, stylist_id):
        return 0  # unknown zones are logged; their requests compute (empty) answers
    today = now.astimezone(ZoneInfo(profile.timezone)).date()
    dates = [today + timedelta(days=n) for n in range(days)] if only is None else [only]
    dates = [d for d in dates if d >= today]
    if not dates:
        return 0
    fresh = store.fresh_keys(stylist_id, dates[0], dates[-1], now)
    offers = conn.execute(
        select(Service.id, Service.duration_minutes, Service.base_price_cents, Service.min_advance_hours,
               Service.max_advance_days, StylistService.custom_price_cents, StylistService.custom_duration_minutes)
        .join(StylistService, StylistService.service_id == Service.id)
        .where(StylistService.stylist_user_id == stylist_id, StylistService.is_available, Service.is_active)
    ).all()
    todo = {o.id: [d for d in dates if (str(o.id), d) not in fresh
                   and d <= today + timedelta(days=min(o.max_advance_days, HORIZON_CAP_DAYS))] for o in offers}
    todo = {service: wanted for service, wanted in todo.items() if wanted}
    if not todo:
        return 0
    needed = sorted({d for wanted in todo.values() for d in wanted})
    gens = store.generations(Key(stylist_id, stylist_id, needed[0]), needed[0], needed[-1])  # before the data
    rows = load_range_rows(conn, stylist_id, profile.timezone, profile.booking_buffer_minutes, needed)
    entries = []
    for offer in offers:
        if offer.id in todo:
            terms = Offer(
                timezone=profile.timezone, buffer_minutes=profile.booking_buffer_minutes, offered=True,
                duration_minutes=schedule_rows.duration_minutes(offer.custom_duration_minutes,
                                                                offer.duration_minutes),
                price_cents=schedule_rows.price_cents(offer.custom_price_cents, offer.base_price_cents),
                min_advance_hours=offer.min_advance_hours, max_advance_days=offer.max_advance_days)
            key = Key(stylist_id, offer.id, needed[0])
            entries += [entry_of(settings, key._replace(day=day), loaded, gens, now)
                        for day, loaded in plan_range(todo[offer.id], terms, rows, settings.interval_minutes).items()]
    entries = [e for e in entries if e is not None]
    store.save(entries)
    return len(entries)


# Day counters of dates before COUNTERS_KEPT: an entry that can still be served is for a
# date >= yesterday in UTC (today in the stylist's zone, offsets -12..+14 h) and depends
# on day counters from two days before its date at the earliest (store.DAY_MARGIN),
# so no servable entry reads them; deleting them cannot bring an old value back.
COUNTERS_KEPT = timedelta(days=4)
STATS_KEPT = timedelta(days=8)


@audit_exempt("deletes expired or superseded cache entries (cron); no business data changes")
def prune(settings: SlotSettings) -> tuple[int, int]:
    """Delete expired, past and stale entries, day counters of dates long past, and
    old statistics, in one transaction."""
    now = settings.clock.now()
    today = now.astimezone(timezone.utc).date()
    return settings.store.prune(now, today - timedelta(days=1), today - COUNTERS_KEPT, now - STATS_KEPT)
