"""The availability cache (slots-api.md "The cache"; docs/architecture.md "Availability cache").

`slot_source(session, stylist_id, service_id, day) -> SlotResult` gives the date-stable
`DayPlan` of one key; `slot_range(...)` the plans of a range of dates (the days
endpoint). The endpoints render plans per request (min-advance cut-off, hold expiry,
"today"/horizon, customer zone), so hits are right at request time.

Freshness: database triggers bump counters in the writer's own transaction — per
stylist (or the global scope) for coarse changes, per (stylist or global scope, date)
for bookings, holds and overrides. A computation reads the counters BEFORE it reads
the data and stores them with the entry, together with the date range whose day
counters it depends on; a hit is served only while all of them are still current —
checked in the single statement that fetches the entry (`cache_reader`).

Cache writes commit on their own rather than through `portal.database.use_case`: a
miss upserts its entry in autocommit on the hit path's own connection before it
answers (the session's transaction only reads, and keeps the advisory lock until the
request ends); batches (days endpoint, warming) commit their executemany. None is a
use-case with an audit row, and a failed write only costs the entry (the answer is
still right).
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from flask import current_app
from sqlalchemy import text

from portal.services import cache_reader
from portal.services.audit import audit_exempt
from portal.services.availability import HORIZON_CAP_DAYS, DayPlan, LoadedDay, NotFound, load_day
from portal.services.cache_reader import CacheRow, key_params
from portal.services.slot_rendering import Remembered, remembered

UTC = timezone.utc
# A local date D is within UTC dates [D-1, D+1] (offsets -12..+14 h); with the buffer
# (at most 120 min, a database check) an entry's occupancy span stays within these.
DAY_MARGIN = timedelta(days=2)

STORE = """
INSERT INTO {p}availability_cache AS c
  (stylist_user_id, service_id, cache_date, available_slots, computed_at, expires_at,
   stylist_generation, global_generation, day_generation, days_from, days_to)
VALUES (:stylist, :service, :day, {plan}, :computed_at, :expires_at, :stylist_generation, :global_generation,
        :day_generation, :days_from, :days_to)
ON CONFLICT (stylist_user_id, service_id, cache_date) DO UPDATE SET
  available_slots = excluded.available_slots, computed_at = excluded.computed_at,
  expires_at = excluded.expires_at, stylist_generation = excluded.stylist_generation,
  global_generation = excluded.global_generation, day_generation = excluded.day_generation,
  days_from = excluded.days_from, days_to = excluded.days_to
WHERE excluded.stylist_generation >= c.stylist_generation
  AND excluded.global_generation >= c.global_generation
"""
STORE_SQL = {"postgresql": STORE.format(p="private.", plan="CAST(:plan AS jsonb)"),
             "sqlite": STORE.format(p="", plan=":plan")}
RAW_STORE = {"postgresql": re.sub(r":(\w+)", r"%(\1)s", STORE_SQL["postgresql"]), "sqlite": STORE_SQL["sqlite"]}


def clock() -> datetime:
    """The current instant; tests travel in time with `app.config["CLOCK"]`."""
    travel = current_app.config.get("CLOCK")
    return travel() if travel else datetime.now(UTC)


@dataclass(frozen=True)
class Generations:
    """The counters an entry was computed under (read before its data)."""

    stylist: int
    global_: int
    days: dict[date, int]  # day -> both scopes' day counters, over [D - 2, D + 2]


@dataclass(frozen=True)
class SlotResult:
    """What the endpoint renders: the plan (None: out of range, answer `[]`), whether
    it came from the cache, when it was computed, and its remembered bodies."""

    plan: DayPlan | None
    hit: bool
    computed_at: datetime
    memo: Remembered | None = None
    stored: bool = False  # a miss computed and stored the entry (its siblings may be stale too)


# --- encoding: DayPlan's compact JSON, tagged with the slot interval -----------------

def encode(plan: DayPlan, interval_minutes: int) -> str:
    return json.dumps({"i": interval_minutes, **plan.to_json()}, separators=(",", ":"))


def decode(data, interval_minutes: int) -> DayPlan | None:
    """The stored plan, or None when it was made for another interval or format (a miss)."""
    if isinstance(data, (str, bytes)):
        data = json.loads(data)
    if data.get("i") != interval_minutes:
        return None
    try:
        return DayPlan.from_json(data)
    except (ValueError, KeyError, TypeError):
        return None


def _instant(value) -> datetime:
    return _text_instant(value) if isinstance(value, str) else (value if value.tzinfo else value.replace(tzinfo=UTC))


@lru_cache(maxsize=8192)
def _text_instant(value: str) -> datetime:
    """SQLite's UTC text (entries' computed_at / expires_at repeat on every hit)."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def is_fresh(row: CacheRow, now: datetime) -> bool:
    """The entry exists, every counter it was computed under is still current, and it
    has not outlived its time-to-live (which only bounds storage)."""
    return (row.entry is not None
            and row.stylist_generation == (row.stylist_now or 0)
            and row.global_generation == (row.global_now or 0)
            and row.day_generation == (row.days_now or 0)
            and _instant(row.expires_at) > now)


def served(row: CacheRow, key: tuple, interval: int) -> Remembered | None:
    """A fresh row's plan, decoded once per process (same key, counters and instant:
    the same entry), with its remembered bodies; None if it cannot be decoded."""
    memo_key = (*key, interval, row.stylist_generation, row.global_generation, row.day_generation, row.computed_at)
    return remembered(memo_key, lambda: decode(row.entry, interval))


def plausible(day: date, now: datetime) -> bool:
    """False for dates no stylist zone can book (before yesterday in UTC, beyond the
    horizon cap): answered `[]` before any database work."""
    first, last = plausible_dates(now)
    return first <= day <= last


def plausible_dates(now: datetime) -> tuple[date, date]:
    """The first and last date `plausible` admits at `now`."""
    today = now.astimezone(UTC).date()
    return today - timedelta(days=1), today + timedelta(days=HORIZON_CAP_DAYS + 1)


def counter_range(day: date, span: tuple[datetime, datetime] | None) -> tuple[date, date]:
    """The dates whose day counters an entry for `day` depends on: its own date
    (overrides) and the UTC dates of its occupancy span (bookings, holds)."""
    if span is None:
        return day, day
    return min(day, span[0].astimezone(UTC).date()), max(day, span[1].astimezone(UTC).date())


def entry_values(dialect: str, params: dict, day: date, loaded: LoadedDay, gens: Generations,
                 computed_at: datetime, interval: int, ttl_seconds: int) -> dict | None:
    """The upsert's values, with the counters read before the data; None (store
    nothing) when the entry's counter range lies outside what was read."""
    first, last = counter_range(day, loaded.span)
    if not gens.days or first < min(gens.days) or last > max(gens.days):
        return None
    expires = computed_at + timedelta(seconds=ttl_seconds)
    if dialect == "sqlite":
        stamp = "%Y-%m-%d %H:%M:%S.%f"
        times = {"computed_at": computed_at.strftime(stamp), "expires_at": expires.strftime(stamp)}
    else:
        times = {"computed_at": computed_at, "expires_at": expires}
    return {
        **params, "day": cache_reader.bind_day(dialect, day), **times, "plan": encode(loaded.plan, interval),
        "stylist_generation": gens.stylist, "global_generation": gens.global_,
        "day_generation": sum(v for d, v in gens.days.items() if first <= d <= last),
        "days_from": cache_reader.bind_day(dialect, first), "days_to": cache_reader.bind_day(dialect, last),
    }


def store_many(conn, dialect: str, stylist_id: uuid.UUID, service_id: uuid.UUID, loaded: dict[date, LoadedDay],
               gens: Generations, computed_at: datetime, interval: int, ttl_seconds: int) -> int:
    """Upsert several entries of one stylist and service in one executemany."""
    params = key_params(dialect, stylist_id, service_id, date(2000, 1, 1))
    rows = [v for day, got in loaded.items()
            if (v := entry_values(dialect, params, day, got, gens, computed_at, interval, ttl_seconds))]
    if rows:
        conn.execute(text(STORE_SQL[dialect]), rows)
    return len(rows)


def read_generations(conn, dialect: str, params: dict, first: date, last: date, coarse: CacheRow | None = None,
                     lock_key: int | None = None, hold: str = "transaction") -> tuple[bool, Generations]:
    """The counters, before any data: the coarse ones (from `coarse`, an earlier
    statement, or read now) and the day counters over [first - 2, last + 2]."""
    if coarse is None:
        coarse = CacheRow(*conn.execute(text(cache_reader.STATEMENTS["generations"][dialect]), params).one(),
                          *(None,) * 7)
    locked, days = cache_reader.day_counters(conn, dialect, params, first - DAY_MARGIN, last + DAY_MARGIN,
                                             lock_key, hold)
    span = (last - first).days + 2 * DAY_MARGIN.days
    days = {first - DAY_MARGIN + timedelta(days=n): 0 for n in range(span + 1)} | days
    return locked, Generations(coarse.stylist_now or 0, coarse.global_now or 0, days)


def advisory_key(stylist_id, service_id, day: date) -> int:
    digest = hashlib.blake2b(f"slots:{stylist_id}:{service_id}:{day}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _fast_lookup(engine, params: dict) -> CacheRow | None:
    """The hit path; None when its connection failed (the session path decides)."""
    try:
        return cache_reader.read(engine, params)
    except Exception:
        current_app.logger.warning("cache hit path failed; using the session", exc_info=True)
        return None


@audit_exempt("stores a derived cache entry for a public read")
def slot_source(session, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date,
                now: datetime | None = None) -> SlotResult:
    """The day's plan for the endpoint at `now` (default: the clock); honours AVAILABILITY_CACHE_ENABLED."""
    config = current_app.config
    interval = int(config["SLOT_INTERVAL_MINUTES"])
    now = now or clock()
    if not plausible(day, now):
        return SlotResult(None, False, now)
    if not config["AVAILABILITY_CACHE_ENABLED"]:
        return SlotResult(load_day(session, stylist_id, service_id, day, interval).plan, False, now)

    engine = cache_reader.engine_of(session)
    dialect = engine.dialect.name
    params = key_params(dialect, stylist_id, service_id, day)
    key = (params["stylist"], params["service"], params["day"])
    found = _fast_lookup(engine, params)
    if found is not None and is_fresh(found, now):
        memo = served(found, key, interval)
        if memo is not None:
            return SlotResult(memo.plan, True, _instant(found.computed_at), memo)

    miss = Miss(engine, params, key, day, interval, now, int(config["AVAILABILITY_CACHE_TTL_SECONDS"]))
    if found is not None:
        # The miss runs on the hit path's own autocommit connection: no pool checkout, no
        # BEGIN/COMMIT; the key's lock is a connection-level one, released at the end.
        try:
            return miss.compute(cache_reader.connection(engine), "connection", found, stylist_id, service_id)
        except NotFound:
            raise
        except Exception:
            current_app.logger.warning("cache miss path failed; using the session", exc_info=True)
            cache_reader.close()  # also releases its locks
    # The hit path's connection failed: the session's transaction (raises if the
    # database is down); the lock is a transaction-level one, released when the request ends.
    conn = session.connection()
    return miss.compute(conn, "transaction", cache_reader.lookup_in(conn, dialect, params), stylist_id, service_id)


@dataclass(frozen=True)
class Miss:
    """Computing (or, after waiting for another computation, finding) one key."""

    engine: object
    params: dict
    key: tuple
    day: date
    interval: int
    now: datetime
    ttl_seconds: int

    def compute(self, conn, hold: str, found: CacheRow, stylist_id: uuid.UUID, service_id: uuid.UUID) -> SlotResult:
        """`found`'s coarse counters were read before any data below; the day counters
        are read next, still before the data. PostgreSQL: the same statement tries the
        key's lock; only when another request is computing the key do we wait for it
        and look again (a new snapshot: the entry it stored is then served)."""
        dialect = self.engine.dialect.name
        if is_fresh(found, self.now) and (memo := served(found, self.key, self.interval)) is not None:
            return SlotResult(memo.plan, True, _instant(found.computed_at), memo)
        lock_key = advisory_key(stylist_id, service_id, self.day) if dialect == "postgresql" else None
        locked, gens = read_generations(conn, dialect, self.params, self.day, self.day, coarse=found,
                                        lock_key=lock_key, hold=hold)
        try:
            if not locked:
                conn.execute(text(f"SELECT {WAIT_FOR_LOCK[hold]}(:k)"), {"k": lock_key})
                locked = True
                again = cache_reader.lookup_in(conn, dialect, self.params)
                if is_fresh(again, self.now) and (memo := served(again, self.key, self.interval)) is not None:
                    return SlotResult(memo.plan, True, _instant(again.computed_at), memo)
                _, gens = read_generations(conn, dialect, self.params, self.day, self.day, coarse=again)
            loaded = load_day(conn, stylist_id, service_id, self.day, self.interval, now=self.now)
            if loaded.bookable:
                values = entry_values(dialect, self.params, self.day, loaded, gens, self.now, self.interval,
                                      self.ttl_seconds)
                if values is not None:
                    _store_fast(self.engine, values)  # before answering, and before the lock is released
            return SlotResult(loaded.plan if loaded.bookable else None, False, self.now,
                              stored=loaded.bookable)
        finally:
            if hold == "connection" and lock_key is not None and locked:
                _unlock(conn, lock_key)


WAIT_FOR_LOCK = {"transaction": "pg_advisory_xact_lock", "connection": "pg_advisory_lock"}


def _unlock(conn, lock_key: int) -> None:
    try:
        conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key})
    except Exception:
        cache_reader.close()  # closing the connection releases its locks


def _store_fast(engine, values: dict) -> None:
    """The upsert, in autocommit on the hit path's connection (one round trip, no
    COMMIT; asynchronous commit on PostgreSQL). A failure costs the entry, not the answer."""
    try:
        cache_reader.write(engine, RAW_STORE[engine.dialect.name], values)
    except Exception:
        current_app.logger.warning("could not store a cache entry", exc_info=True)
