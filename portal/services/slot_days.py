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
from datetime import date, datetime, timedelta, timezone

from flask import current_app

from portal.domain.availability import render_slot, resolve_slots
from portal.services import cache_range, cache_reader
from portal.services.audit import audit_exempt
from portal.services.availability import DayPlan, in_range
from portal.services.availability_range import load_days
from portal.services.cache_range import RangeRead
from portal.services.cache_reader import key_params
from portal.services.slot_rendering import VARIANTS, Remembered, signature, signature_until
from portal.services.slot_cache import (
    RAW_STORE, _instant, clock, entry_values, is_fresh, plausible_dates, read_generations, served,
)

MAX_DAYS = 31
UTC = timezone.utc


@dataclass(frozen=True)
class DaysResult:
    """Each date's plan (None: outside the bookable range), whether all came from the
    cache, and when the oldest of them was computed."""

    plans: list[tuple[date, DayPlan | None]]
    hit: bool
    computed_at: datetime
    memos: dict[date, Remembered] = field(default_factory=dict)  # the dates served from the cache
    identity: tuple | None = None  # a fully cached range: its rows as read (`RangeRead.identity`)
    expires: datetime | None = None  # ... and the first expiry among the entries served


@dataclass(frozen=True)
class DaysAnswer:
    """The endpoint's body (bytes, as `jsonify` makes them), and its headers' facts."""

    body: bytes
    hit: bool
    computed_at: datetime


@dataclass(frozen=True)
class RememberedAnswer:
    """A fully cached range's answer, reused while the range reads as it did (`identity`)
    and the request comes before `until` (the first instant at which the clock could
    change it: a cut-off, a hold's expiry, a midnight, an entry's expiry)."""

    identity: tuple
    until: datetime
    answer: DaysAnswer


_answers: dict[tuple, RememberedAnswer] = {}
ANSWERS_KEPT = 4096


def _fast_entries(engine, params: dict, first: date, last: date) -> RangeRead | None:
    try:
        return cache_range.read_range(engine, params, first, last)
    except Exception:
        current_app.logger.warning("cache hit path failed; using the session", exc_info=True)
        return None


@audit_exempt("stores derived cache entries for a public read")
def days_answer(session, stylist_id: uuid.UUID, service_id: uuid.UUID, first: date, last: date,
                customer_tz: str) -> DaysAnswer:
    """The days endpoint's answer. A fully cached range that reads as it did for a
    previous answer (`RangeRead.identity`) and whose request-time facts cannot have
    changed since is answered with that answer's bytes; otherwise each date is
    summarised (`summarise`) from its plan (`plan_days`)."""
    now = clock()
    key = (stylist_id, service_id, first, last, customer_tz, int(current_app.config["SLOT_INTERVAL_MINUTES"]))
    reading = read_days(session, stylist_id, service_id, first, last, now)
    remembered = _answers.get(key)
    if (remembered is not None and reading.read is not None and remembered.identity == reading.read.identity
            and now < remembered.until):
        return remembered.answer
    result = plan_days(session, reading)
    body = [summarise(plan, day, now, customer_tz, result.memos.get(day)) for day, plan in result.plans]
    answer = DaysAnswer(current_app.json.response(body).get_data(), result.hit, result.computed_at)
    if result.hit and result.identity is not None:
        if len(_answers) >= ANSWERS_KEPT:
            _answers.clear()
        until = min(t for t in (answer_until(result.plans, now), result.expires) if t is not None)
        _answers[key] = RememberedAnswer(result.identity, until, answer)
    return answer


def answer_until(plans: list[tuple[date, DayPlan | None]], now: datetime) -> datetime:
    """The first instant at which the clock alone could change a summary of these plans."""
    tomorrow_utc = datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return min([tomorrow_utc, *(signature_until(plan, now) for _, plan in plans if plan is not None)])


@dataclass(frozen=True)
class DaysReading:
    """A range as the request found it: its dates, those any zone could book (`wanted`),
    and — the cache on and some date wanted — the cache's one statement (`read`)."""

    stylist_id: uuid.UUID
    service_id: uuid.UUID
    days: list[date]
    wanted: list[date]
    now: datetime
    read: RangeRead | None = None
    params: dict = field(default_factory=dict)  # the statements' bind values (`key_params`)


def read_days(session, stylist_id: uuid.UUID, service_id: uuid.UUID, first: date, last: date,
              now: datetime) -> DaysReading:
    """The range's dates and, when the cache answers for them, its entries with their
    proof in one statement (the hit path's connection, else the session's)."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    earliest, latest = plausible_dates(now)
    wanted = [d for d in days if earliest <= d <= latest]
    if not wanted or not current_app.config["AVAILABILITY_CACHE_ENABLED"]:
        return DaysReading(stylist_id, service_id, days, wanted, now)
    engine = cache_reader.engine_of(session)
    dialect = engine.dialect.name
    params = key_params(dialect, stylist_id, service_id, first)
    read = _fast_entries(engine, params, wanted[0], wanted[-1])
    if read is None:  # the hit path's connection failed: the session's transaction
        read = cache_range.entries_in(session.connection(), dialect, params, wanted[0], wanted[-1])
    return DaysReading(stylist_id, service_id, days, wanted, now, read, params)


@audit_exempt("stores derived cache entries for a public read")
def plan_days(session, reading: DaysReading) -> DaysResult:
    """The plans of the range read: fresh entries decoded (once per process), the
    missing dates computed in one batch and stored, so the slots endpoint hits them."""
    config = current_app.config
    interval = int(config["SLOT_INTERVAL_MINUTES"])
    now, wanted, stylist_id, service_id = reading.now, reading.wanted, reading.stylist_id, reading.service_id
    plans: dict[date, DayPlan | None] = dict.fromkeys(reading.days)
    if not wanted:
        return DaysResult(list(plans.items()), False, now)
    if reading.read is None:  # the cache is off
        loaded = load_days(session, stylist_id, service_id, wanted, interval, now)
        plans.update({d: got.plan if got.bookable else None for d, got in loaded.items()})
        return DaysResult(list(plans.items()), False, now)

    engine = cache_reader.engine_of(session)
    dialect, params = engine.dialect.name, reading.params
    entries = reading.read.entries
    computed, expiries, memos = [], [], {}
    for day in wanted:
        row = entries.get(day)
        if row is not None and is_fresh(row, now):
            memo = served(row, (params["stylist"], params["service"], cache_reader.bind_day(dialect, day)), interval)
            if memo is not None:
                plans[day], memos[day] = memo.plan, memo
                computed.append(_instant(row.computed_at))
                expiries.append(_instant(row.expires_at))
    missing = [d for d in wanted if plans[d] is None]
    known = next((p for p in plans.values() if p is not None), None)
    if known is not None:  # a fresh entry's zone and horizon rule out the rest without a query
        missing = [d for d in missing if in_range(known, d, now)]
    if not missing:
        return DaysResult(list(plans.items()), True, min(computed, default=now), memos, reading.read.identity,
                          min(expiries, default=None))

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
