"""The days endpoint's data: a range of one stylist's dates from the same cache entries
as the slots endpoint (slots-api.md "The days endpoint").

- Fully cached range: ONE statement on the hit path's connection returns every entry
  of the range with its freshness proof (`cache_reader.DAYS`); nothing else runs.
- Otherwise the counters are read first (coarse and per day), then the missing days
  are loaded in one batch (`availability_range.load_days`: at most four queries for
  any number of days) and stored with one executemany (autocommit, on the hit path's
  connection, like a single-day miss), so the slots endpoint hits them.
- Dates outside the bookable range are counted as no slots and never computed or
  stored; a fresh entry's plan (zone and horizon) decides that without a query.

Concurrent misses on a range are not serialised (a range would need several advisory
locks, in a fixed order); each computes, and the store keeps the newest generations.
The session's transaction only reads; cache writes commit on their own, as in
`slot_cache` (see its docstring).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app

from portal.domain.availability import render_slot, resolve_slots
from portal.services import cache_reader
from portal.services.audit import audit_exempt
from portal.services.availability import DayPlan, in_range
from portal.services.availability_range import load_days
from portal.services.cache_reader import CacheRow, key_params
from portal.services.slot_rendering import VARIANTS, Remembered, signature
from portal.services.slot_cache import (
    RAW_STORE, _instant, clock, entry_values, is_fresh, plausible, read_generations, served,
)

MAX_DAYS = 31


@dataclass(frozen=True)
class DaysResult:
    """Each date's plan (None: outside the bookable range), whether all came from the
    cache, and when the oldest of them was computed."""

    plans: list[tuple[date, DayPlan | None]]
    hit: bool
    computed_at: datetime
    memos: dict[date, Remembered] = field(default_factory=dict)  # the dates served from the cache


def _fast_entries(engine, params: dict, first: date, last: date) -> dict[date, CacheRow] | None:
    try:
        return cache_reader.read_range(engine, params, first, last)
    except Exception:
        current_app.logger.warning("cache hit path failed; using the session", exc_info=True)
        return None


@audit_exempt("stores derived cache entries for a public read")
def slot_days(session, stylist_id: uuid.UUID, service_id: uuid.UUID, first: date, last: date) -> DaysResult:
    config = current_app.config
    interval = int(config["SLOT_INTERVAL_MINUTES"])
    now = clock()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    wanted = [d for d in days if plausible(d, now)]
    plans: dict[date, DayPlan | None] = dict.fromkeys(days)
    if not wanted:
        return DaysResult(list(plans.items()), False, now)
    if not config["AVAILABILITY_CACHE_ENABLED"]:
        loaded = load_days(session, stylist_id, service_id, wanted, interval, now)
        plans.update({d: got.plan if got.bookable else None for d, got in loaded.items()})
        return DaysResult(list(plans.items()), False, now)

    engine = cache_reader.engine_of(session)
    dialect = engine.dialect.name
    params = key_params(dialect, stylist_id, service_id, first)
    entries = _fast_entries(engine, params, wanted[0], wanted[-1])
    if entries is None:  # the hit path's connection failed: the session's transaction
        entries = cache_reader.entries_in(session.connection(), dialect, params, wanted[0], wanted[-1])
    computed, memos = [], {}
    for day in wanted:
        row = entries.get(day)
        if row is not None and is_fresh(row, now):
            memo = served(row, (params["stylist"], params["service"], cache_reader.bind_day(dialect, day)), interval)
            if memo is not None:
                plans[day], memos[day] = memo.plan, memo
                computed.append(_instant(row.computed_at))
    missing = [d for d in wanted if plans[d] is None]
    known = next((p for p in plans.values() if p is not None), None)
    if known is not None:  # a fresh entry's zone and horizon rule out the rest without a query
        missing = [d for d in missing if in_range(known, d, now)]
    if not missing:
        return DaysResult(list(plans.items()), True, min(computed, default=now), memos)

    conn = session.connection()  # reads only; the request's teardown ends its transaction
    _, gens = read_generations(conn, dialect, params, missing[0], missing[-1])  # before the data
    loaded = load_days(session, stylist_id, service_id, missing, interval, now)
    rows = [v for day, got in loaded.items() if got.bookable
            and (v := entry_values(dialect, params, day, got, gens, now, interval,
                                   int(config["AVAILABILITY_CACHE_TTL_SECONDS"])))]
    if rows:
        try:  # autocommit on the hit path's connection, like a single-day miss
            cache_reader.write_many(engine, RAW_STORE[dialect], rows)
        except Exception:
            current_app.logger.warning("could not store cache entries", exc_info=True)
    plans.update({d: got.plan if got.bookable else None for d, got in loaded.items()})
    return DaysResult(list(plans.items()), False, min([*computed, now]), memos)


def summarise(plan: DayPlan | None, day: date, now: datetime, customer_tz: str,
              memo: Remembered | None = None) -> dict:
    """One date of the answer: the number of `isAvailable` slots the slots endpoint
    would return now, and the first of them. With the entry's `memo`, a summary is made
    once per (zone, request-time signature) — what `answer()` depends on besides the entry."""
    if plan is None or memo is None:
        return _summary(plan, day, now, customer_tz)
    key = ("day summary", customer_tz, signature(plan, day, now))
    found = memo.variants.get(key)
    if found is None:
        found = _summary(plan, day, now, customer_tz)
        if len(memo.variants) < 2 * VARIANTS:
            memo.variants[key] = found
    return found


def _summary(plan: DayPlan | None, day: date, now: datetime, customer_tz: str) -> dict:
    summary = {"date": day.isoformat(), "availableSlots": 0, "firstAvailableUtc": None,
               "firstAvailableLocal": None}
    if plan is None or not plan.slots or not in_range(plan, day, now):
        return summary
    available = [s for s in resolve_slots(plan.slots, now, plan.min_advance_hours) if s.status == "available"]
    if available:
        first = render_slot(available[0], customer_tz, plan.price_cents)
        summary.update(availableSlots=len(available), firstAvailableUtc=first["slotStartUtc"],
                       firstAvailableLocal=first["slotStartLocal"])
    return summary
