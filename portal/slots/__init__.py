"""Availability and its cache: the façade the API views and the rest of the portal call.

    answer_day(settings, session, query: SlotQuery) -> Answer     # GET /api/bookings/available-slots
    answer_days(settings, session, query: DaysQuery) -> Answer    # GET /api/bookings/available-days
    free_times(settings, stylist_id | None, service_id, day, *, ignore_min_advance=False, session=None)
        -> list[FreeTime(stylist_id, start, end)]                 # the front desk

`settings` is the one `SlotSettings` value create_app built (`app.extensions["slots"]`);
`session` is used only when the cache is off or its store failed. The package's
picture (what calls what; where the two stores differ): docs/architecture.md "The
slots package". A hit of either endpoint: this module -> the store (one statement) ->
`memo` (the remembered bytes); `plan` renders the first time only.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from portal.domain.availability import resolve_slots
from portal.services.audit import audit_exempt
from portal.slots import memo, miss
from portal.slots import plan as wire
from portal.slots.loading import NotFound, load_day, offering_stylists
from portal.slots.loading_range import load_days
from portal.slots.plan import HORIZON_CAP_DAYS, Answer, DayPlan
from portal.slots.settings import SlotSettings
from portal.slots.store import Key

__all__ = ["Answer", "DaysQuery", "FreeTime", "NotFound", "SlotQuery", "SlotSettings", "answer_day",
           "answer_days", "free_times"]
UTC = timezone.utc
EMPTY = wire.body([])
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlotQuery:
    stylist_id: uuid.UUID
    service_id: uuid.UUID
    target_date: date
    customer_timezone: str


@dataclass(frozen=True)
class DaysQuery:
    stylist_id: uuid.UUID
    service_id: uuid.UUID
    first: date
    last: date
    customer_timezone: str


@dataclass(frozen=True)
class FreeTime:
    stylist_id: uuid.UUID
    start: datetime
    end: datetime


@audit_exempt("stores a derived cache entry for a public read")
def answer_day(settings: SlotSettings, session, query: SlotQuery) -> Answer:
    """The slots endpoint's answer at the clock's now (raises `NotFound`). A hit: the
    store's one statement, then the remembered bytes (`memo.day_body`)."""
    now = settings.clock.now()
    day, zone = query.target_date, query.customer_timezone
    key = Key(query.stylist_id, query.service_id, day)
    if not plausible(day, now):
        return Answer(EMPTY, False, now)
    found = None
    if settings.enabled:
        try:
            row = settings.store.lookup(key)
            if row.fresh(now):
                body = memo.day_body(key, settings.interval_minutes, row, day, now, zone)
                if body is not None:
                    return Answer(body, True, row.computed_at)
            found = miss.compute_day(settings, key, row, now)
        except NotFound:
            raise
        except Exception:  # noqa: BLE001 — the store failed: answer without the cache
            logger.warning("the cache's store failed; computing without it", exc_info=True)
            settings.store.close()
    found = found or uncached(settings, session, key, now)
    if found.plan is None:
        return Answer(EMPTY, False, now)
    return Answer(wire.body(wire.answer(found.plan, day, now, zone)), found.hit, found.computed_at)


def day_plan(settings: SlotSettings, session, key: Key, now: datetime) -> miss.Found:
    """One key's plan: remembered from a fresh entry (a hit), else computed (and stored)."""
    if not plausible(key.day, now):
        return miss.Found(None, False, now)
    if settings.enabled:
        try:
            row = settings.store.lookup(key)
            if row.fresh(now) and (remembered := memo.entry(key, settings.interval_minutes, row)) is not None:
                return miss.Found(remembered.plan, True, row.computed_at, remembered)
            return miss.compute_day(settings, key, row, now)
        except NotFound:
            raise
        except Exception:  # noqa: BLE001 — the store failed: answer without the cache
            logger.warning("the cache's store failed; computing without it", exc_info=True)
            settings.store.close()
    return uncached(settings, session, key, now)


def uncached(settings: SlotSettings, session, key: Key, now: datetime) -> miss.Found:
    """The cache off (or its store failing): the same loader on the request's session."""
    return miss.Found(load_day(session, key.stylist, key.service, key.day, settings.interval_minutes).plan,
                      False, now)


@audit_exempt("stores derived cache entries for a public read")
def answer_days(settings: SlotSettings, session, query: DaysQuery) -> Answer:
    """The days endpoint's answer: a fully cached range that reads as it did for an
    earlier answer still right now is answered with its bytes; otherwise each date is
    summarised from its plan, the missing ones computed in one batch and stored."""
    now = settings.clock.now()
    days = [query.first + timedelta(days=n) for n in range((query.last - query.first).days + 1)]
    earliest, latest = plausible_dates(now)
    wanted = [d for d in days if earliest <= d <= latest]
    plans: dict[date, DayPlan | None] = dict.fromkeys(days)
    if wanted and settings.enabled:
        try:
            read = settings.store.lookup_range(query.stylist_id, query.service_id, wanted[0], wanted[-1])
        except Exception:  # noqa: BLE001 — the store failed: answer without the cache
            logger.warning("the cache's store failed; computing without it", exc_info=True)
            settings.store.close()
            read = None
        if read is not None:
            key = (query.stylist_id, query.service_id, query.first, query.last, query.customer_timezone,
                   settings.interval_minutes)
            remembered = memo.range_answer(key, read.identity, now)
            if remembered is not None:
                return remembered
            return cached_days(settings, session, query, key, read, plans, wanted, now)
    if wanted:
        loaded = load_days(session, query.stylist_id, query.service_id, wanted, settings.interval_minutes, now)
        plans.update({d: got.plan if got.bookable else None for d, got in loaded.items()})
    summaries = [wire.summary(p, d, now, query.customer_timezone) for d, p in plans.items()]
    return Answer(wire.body(summaries), False, now)


def cached_days(settings: SlotSettings, session, query: DaysQuery, key: tuple, read, plans: dict,
                wanted: list[date], now: datetime) -> Answer:
    """A range from its fresh entries (decoded once per process), the rest computed in one batch."""
    computed, expiries, remembered = [], [], {}
    for day in wanted:
        row = read.entries.get(day)
        if row is not None and row.fresh(now):
            found = memo.entry(Key(query.stylist_id, query.service_id, day), settings.interval_minutes, row)
            if found is not None:
                plans[day], remembered[day] = found.plan, found
                computed.append(row.computed_at)
                expiries.append(row.expires_at)
    missing = [d for d in wanted if plans[d] is None]
    known = next((p for p in plans.values() if p is not None), None)
    if known is not None:  # a fresh entry's zone and horizon rule out the rest without a query
        missing = [d for d in missing if known.bookable_on(d, now)]
    if missing:
        try:
            plans.update(miss.compute_range(settings, query.stylist_id, query.service_id, missing, now))
        except NotFound:
            raise
        except Exception:  # noqa: BLE001 — the store failed: these dates without the cache
            logger.warning("the cache's store failed; computing without it", exc_info=True)
            settings.store.close()
            loaded = load_days(session, query.stylist_id, query.service_id, missing, settings.interval_minutes, now)
            plans.update({d: got.plan if got.bookable else None for d, got in loaded.items()})
    zone = query.customer_timezone
    summaries = [memo.day_summary(remembered[d], d, now, zone) if d in remembered
                 else wire.summary(p, d, now, zone) for d, p in plans.items()]
    answer = Answer(wire.body(summaries), not missing, min([*computed, now] if missing else computed or [now]))
    if not missing:
        memo.keep_range_answer(key, read.identity, list(plans.items()), min(expiries, default=None), now, answer)
    return answer


@audit_exempt("stores derived cache entries for a staff read")
def free_times(settings: SlotSettings, stylist_id: uuid.UUID | None, service_id: uuid.UUID, day: date, *,
               ignore_min_advance: bool = False, session=None) -> list[FreeTime]:
    """The free start times of `service_id` on `day` with one stylist or any (None): the
    public endpoint's available slots for each (from the same cache), the min-advance
    cut-off left out when `ignore_min_advance` (a booking taken at the desk). Reads run
    on the store's connection, or on `session` when given (the cache off or failing)."""
    now = settings.clock.now()
    reader = session if session is not None else settings.store.reader()
    stylists = [stylist_id] if stylist_id is not None else offering_stylists(reader, service_id)
    free = []
    for stylist in stylists:
        plan = day_plan(settings, reader, Key(stylist, service_id, day), now).plan
        if plan is None or not plan.slots or not plan.bookable_on(day, now):
            continue
        advance = 0 if ignore_min_advance else plan.min_advance_hours
        free += [FreeTime(stylist, s.start, s.end) for s in resolve_slots(plan.slots, now, advance)
                 if s.status == "available"]
    return sorted(free, key=lambda f: (f.start, str(f.stylist_id)))


def plausible(day: date, now: datetime) -> bool:
    """False for dates no stylist zone can book (before yesterday in UTC, beyond the
    horizon cap): answered `[]` before any database work."""
    first, last = plausible_dates(now)
    return first <= day <= last


def plausible_dates(now: datetime) -> tuple[date, date]:
    today = now.astimezone(UTC).date()
    return today - timedelta(days=1), today + timedelta(days=HORIZON_CAP_DAYS + 1)
