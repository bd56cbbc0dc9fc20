"""`flask warm-cache` and `flask prune-cache` (operations.md "Commands").

Warming skips what is already right: per stylist, one statement lists the entries of
the range that are present and fresh (the same proof as a hit), one the services on
offer; only the missing or stale (service, date) pairs are computed. Those share
five reads whatever their number — the counters (coarse and per day, read first, as
on a miss, so an entry computed from rows a concurrent write has since changed is
never served), base rows, overrides, occupancies — then the pure engine plans each
pair and one executemany per service stores them.

Each stylist's batch is one `use_case` transaction (no audit row: derived data), so a
long run holds no lock and a failure loses one stylist's entries; reads between them
start from `fresh_snapshot`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta, timezone
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select, text

from portal.models import Booking, Service, StylistProfile, StylistService
from portal.database import fresh_snapshot, use_case
from portal.extensions import db
from portal.models.logs import GLOBAL_SCOPE
from portal.services import cache_reader, schedule_rows
from portal.services.audit import audit_exempt
from portal.services.availability import HORIZON_CAP_DAYS, Offer, known_zone
from portal.services.availability_range import load_range_rows, plan_range
from portal.services.cache_reader import key_params
from portal.services.slot_cache import clock, read_generations, store_many

FRESH = """
SELECT c.service_id, c.cache_date FROM {p}availability_cache AS c
WHERE c.stylist_user_id = :stylist AND c.cache_date BETWEEN :first AND :last AND c.expires_at > :now
  AND c.stylist_generation = coalesce((SELECT generation FROM {p}availability_generation WHERE scope = :stylist), 0)
  AND c.global_generation = coalesce((SELECT generation FROM {p}availability_generation WHERE scope = :global_scope), 0)
  AND c.day_generation = coalesce((SELECT sum(d.generation) FROM {p}availability_day_generation AS d
        WHERE d.scope IN (:stylist, :global_scope) AND d.day BETWEEN c.days_from AND c.days_to), 0)
"""


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
def warm(session, days: int, top: int | None = None,
         progress: Callable[[list], Iterable] = lambda items: items) -> WarmResult:
    """Warm the chosen stylists; `progress` wraps the list (the command's progress bar)."""
    fresh_snapshot(session)
    ids = stylists_to_warm(session, top)
    fresh_snapshot(session)
    return WarmResult(len(ids), sum(warm_stylist(session, stylist_id, days) for stylist_id in progress(ids)))


@audit_exempt("precomputes derived cache entries; no business data changes")
def warm_stylist(session, stylist_id: uuid.UUID, days: int, only: date | None = None) -> int:
    """Compute and store the missing or stale entries of every offered service × the
    next `days` days of one stylist (or × the single date `only`); the number stored.
    Dates past a service's horizon are skipped (never cached)."""
    config = current_app.config
    interval = int(config["SLOT_INTERVAL_MINUTES"])
    conn = session.connection()
    dialect = conn.dialect.name
    now = clock()
    profile = session.execute(
        select(StylistProfile.timezone, StylistProfile.booking_buffer_minutes, StylistProfile.is_active)
        .where(StylistProfile.user_id == stylist_id)
    ).one_or_none()
    if profile is None or not profile.is_active or not known_zone(profile.timezone, stylist_id):
        fresh_snapshot(session)  # unknown zones are logged; their requests compute (empty) answers
        return 0
    today = now.astimezone(ZoneInfo(profile.timezone)).date()
    dates = [today + timedelta(days=n) for n in range(days)] if only is None else [only]
    dates = [d for d in dates if d >= today]
    if not dates:
        fresh_snapshot(session)
        return 0
    first = dates[0]
    params = key_params(dialect, stylist_id, stylist_id, first)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else now
    fresh = {(str(s), cache_reader.as_date(d)) for s, d in conn.execute(text(FRESH.format(
        p="private." if dialect == "postgresql" else "")), {
            **params, "first": cache_reader.bind_day(dialect, first),
            "last": cache_reader.bind_day(dialect, dates[-1]), "now": stamp})}
    offers = session.execute(
        select(Service.id, Service.duration_minutes, Service.base_price_cents, Service.min_advance_hours,
               Service.max_advance_days, StylistService.custom_price_cents, StylistService.custom_duration_minutes)
        .join(StylistService, StylistService.service_id == Service.id)
        .where(StylistService.stylist_user_id == stylist_id, StylistService.is_available, Service.is_active)
    ).all()
    todo = {o.id: [d for d in dates if (str(o.id), d) not in fresh
                   and d <= today + timedelta(days=min(o.max_advance_days, HORIZON_CAP_DAYS))] for o in offers}
    todo = {service: wanted for service, wanted in todo.items() if wanted}
    fresh_snapshot(session)  # the counters below are read before the data, in a new snapshot
    if not todo:
        return 0
    conn = session.connection()
    needed = sorted({d for wanted in todo.values() for d in wanted})
    _, gens = read_generations(conn, dialect, params, needed[0], needed[-1])
    rows = load_range_rows(session, stylist_id, profile.timezone, profile.booking_buffer_minutes, needed)
    plans = {}
    for offer in offers:
        if offer.id in todo:
            terms = Offer(
                timezone=profile.timezone, buffer_minutes=profile.booking_buffer_minutes, offered=True,
                duration_minutes=schedule_rows.duration_minutes(offer.custom_duration_minutes,
                                                                offer.duration_minutes),
                price_cents=schedule_rows.price_cents(offer.custom_price_cents, offer.base_price_cents),
                min_advance_hours=offer.min_advance_hours, max_advance_days=offer.max_advance_days)
            plans[offer.id] = plan_range(todo[offer.id], terms, rows, interval)
    fresh_snapshot(session)  # SQLite: a stale read snapshot cannot take the write lock
    ttl = int(config["AVAILABILITY_CACHE_TTL_SECONDS"])
    with use_case(session):
        conn = session.connection()
        return sum(store_many(conn, dialect, stylist_id, service_id, loaded, gens, now, interval, ttl)
                   for service_id, loaded in plans.items())


@audit_exempt("recomputes derived cache entries after a miss; no business data changes")
def refresh_date(app, stylist_id: uuid.UUID, day: date) -> None:
    """After a miss on (stylist, service, day) has answered: compute the day's other
    stale entries of the stylist (the write that made one stale usually made all of
    them stale), so the next reader of a sibling service hits. Runs after the response
    (`Response.call_on_close`), in an app context of its own; failures are logged."""
    with app.app_context():
        try:
            warm_stylist(db.session, stylist_id, 1, only=day)
        except Exception:
            app.logger.warning("could not refresh the other entries of a date", exc_info=True)
        finally:
            db.session.remove()


PRUNE = """
DELETE FROM {p}availability_cache
WHERE expires_at <= :now OR cache_date < :past
   OR stylist_generation <> coalesce(
        (SELECT g.generation FROM {p}availability_generation g WHERE g.scope = {p}availability_cache.stylist_user_id), 0)
   OR global_generation <> coalesce(
        (SELECT g.generation FROM {p}availability_generation g WHERE g.scope = :global_scope), 0)
   OR day_generation <> coalesce(
        (SELECT sum(d.generation) FROM {p}availability_day_generation d
         WHERE d.scope IN ({p}availability_cache.stylist_user_id, :global_scope)
           AND d.day BETWEEN {p}availability_cache.days_from AND {p}availability_cache.days_to), 0)
"""
# Day counters of dates before COUNTERS_KEPT: an entry that can still be served is for a
# date >= yesterday in UTC (today in the stylist's zone, offsets -12..+14 h) and depends
# on day counters from two days before its date at the earliest (slot_cache.DAY_MARGIN),
# so no servable entry reads them; deleting them cannot bring an old value back.
PRUNE_DAY_COUNTERS = "DELETE FROM {p}availability_day_generation WHERE day < :before"
COUNTERS_KEPT = timedelta(days=4)
PRUNE_STATS = "DELETE FROM {p}slot_request_stats WHERE minute < :before"
STATS_KEPT = timedelta(days=8)


@audit_exempt("deletes expired or superseded cache entries (cron); no business data changes")
def prune(session) -> tuple[int, int]:
    """Delete expired, past and stale entries, day counters of dates long past, and
    old statistics, in one transaction."""
    dialect = session.get_bind().dialect.name
    p = "private." if dialect == "postgresql" else ""
    now = clock()
    today = now.astimezone(timezone.utc).date()
    params = key_params(dialect, GLOBAL_SCOPE, GLOBAL_SCOPE, today)
    if dialect == "sqlite":
        stamp = "%Y-%m-%d %H:%M:%S.%f"
        moment, before = now.strftime(stamp), (now - STATS_KEPT).strftime(stamp)
    else:
        moment, before = now, now - STATS_KEPT
    past = cache_reader.bind_day(dialect, today - timedelta(days=1))
    with use_case(session):
        entries = session.execute(text(PRUNE.format(p=p)), {
            "now": moment, "past": past, "global_scope": params["global_scope"]}).rowcount
        session.execute(text(PRUNE_DAY_COUNTERS.format(p=p)),
                        {"before": cache_reader.bind_day(dialect, today - COUNTERS_KEPT)})
        stats = session.execute(text(PRUNE_STATS.format(p=p)), {"before": before}).rowcount
    return entries, stats
