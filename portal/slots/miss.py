"""Computing what the cache did not have (docs/architecture.md "The protocol").

A computation reads the counters BEFORE its data and stores them with the entry, with
the date range whose day counters it depends on; the entry is then served only while
they are all current (`store.Row.fresh`). A miss of one key (`compute_day`) takes the
key's lock where the store has locks (PostgreSQL: a waiter finds the entry the first
computation stored), loads the day on the store's own connection, and stores the
entry — with, when `refresh_siblings` is on, the date's other stale entries of the
stylist planned from the same rows (the write that made one stale usually made them
all stale): one statement more, no second computation after the answer. A range
(`compute_range`, the days endpoint) loads its missing dates in one batch and stores
them in one round trip (no locks: a range would need several, in order).
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from portal.services.scheduling import schedule_rows
from portal.slots import memo
from portal.slots import plan as wire
from portal.slots.loading import LoadedDay, Offer, load_day, plan_offer_day
from portal.slots.loading_range import load_days
from portal.slots.plan import DayPlan
from portal.slots.settings import SlotSettings
from portal.slots.store import Entry, Generations, Key, Row

UTC = timezone.utc
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    """A key's plan (None: outside the bookable range), whether it came from the cache,
    when it was computed, and (a hit) its remembered bodies."""

    plan: DayPlan | None
    hit: bool
    computed_at: datetime
    memo: memo.Remembered | None = None


def compute_day(settings: SlotSettings, key: Key, found: Row, now: datetime) -> Found:
    """`found` (the lookup) gave the coarse counters, read before any data below; the day
    counters are read next, still before the data, in the round trip that tries the lock
    (and, on PostgreSQL, lists the date's stale sibling offers)."""
    store, refresh = settings.store, settings.refresh_siblings
    locked, gens, offers = store.before_miss(key, found, now, lock=True, siblings=refresh)
    try:
        if not locked:  # another request computes the key: wait for it, then look again
            again = store.wait_for(key)
            if again.fresh(now) and (remembered := memo.entry(key, settings.interval_minutes, again)) is not None:
                return Found(remembered.plan, True, again.computed_at, remembered)
            _, gens, offers = store.before_miss(key, again, now, lock=False, siblings=refresh)
        conn = store.reader()
        loaded = load_day(conn, key.stylist, key.service, key.day, settings.interval_minutes, now=now)
        if not loaded.bookable:
            return Found(None, False, now)
        entries = [e for e in [entry_of(settings, key, loaded, gens, now)] if e is not None]
        if settings.refresh_siblings and loaded.offer is not None and loaded.window is not None:
            entries += siblings(settings, key, loaded, gens, now, offers)
        save(settings, entries, release=key)  # before answering, and before the lock is released
        return Found(loaded.plan, False, now)
    finally:
        store.release(key)


def siblings(settings: SlotSettings, key: Key, loaded: LoadedDay, gens: Generations, now: datetime,
             offers: list | None = None) -> list[Entry]:
    """The entries of the stylist's other offered services on the date that are missing
    or stale (`offers`, read before the data; None: read them now), planned from the
    asked service's rows (same window and occupancies)."""
    offer = loaded.offer
    made = []
    for other in settings.store.stale_offers(key, now) if offers is None else offers:
        terms = Offer(offer.timezone, offer.buffer_minutes, True,
                      schedule_rows.duration_minutes(other.custom_duration_minutes, other.duration_minutes),
                      schedule_rows.price_cents(other.custom_price_cents, other.base_price_cents),
                      other.min_advance_hours, other.max_advance_days)
        got = plan_offer_day(key.day, terms, loaded.window, list(loaded.occupancies), settings.interval_minutes)
        if got.plan.bookable_on(key.day, now):
            made.append(entry_of(settings, key._replace(service=uuid.UUID(str(other.service_id))), got, gens, now))
    return [e for e in made if e is not None]


def compute_range(settings: SlotSettings, stylist_id: uuid.UUID, service_id: uuid.UUID, missing: list[date],
                  now: datetime) -> dict[date, DayPlan | None]:
    """The missing dates' plans (None: outside the bookable range), loaded in one batch
    after the counters and stored, so the slots endpoint hits them."""
    store = settings.store
    key = Key(stylist_id, service_id, missing[0])
    gens = store.generations(key, missing[0], missing[-1])  # before the data
    loaded = load_days(store.reader(), stylist_id, service_id, missing, settings.interval_minutes, now)
    entries = [entry_of(settings, key._replace(day=d), got, gens, now) for d, got in loaded.items() if got.bookable]
    save(settings, [e for e in entries if e is not None])
    return {d: got.plan if got.bookable else None for d, got in loaded.items()}


def entry_of(settings: SlotSettings, key: Key, loaded: LoadedDay, gens: Generations, now: datetime) -> Entry | None:
    """The entry to store, with the counters read before the data; None (store nothing)
    when its counter range lies outside what was read."""
    first, last = counter_range(key.day, loaded.span)
    day_generation = gens.day_sum(first, last)
    if day_generation is None:
        return None
    return Entry(key, wire.encode(loaded.plan, settings.interval_minutes), now,
                 now + timedelta(seconds=settings.ttl_seconds), gens.stylist, gens.global_, day_generation, first, last)


def counter_range(day: date, span: tuple[datetime, datetime] | None) -> tuple[date, date]:
    """The dates whose day counters an entry for `day` depends on: its own date
    (overrides) and the UTC dates of its occupancy span (bookings, holds)."""
    if span is None:
        return day, day
    return min(day, span[0].astimezone(UTC).date()), max(day, span[1].astimezone(UTC).date())


def save(settings: SlotSettings, entries: list[Entry], release: Key | None = None) -> None:
    """Store the entries; a failure costs them, not the answer."""
    if not entries and release is None:
        return
    try:
        settings.store.save(entries, release=release)
    except Exception:  # noqa: BLE001
        logger.warning("could not store cache entries", exc_info=True)
        settings.store.close()
