"""The cache's store: what the rest of `portal.slots` asks of the database, as one
interface with two implementations chosen once at start-up (`settings.open_store`):
`store_postgres.PostgresStore` (libpq, advisory locks, text decoding) and
`store_sqlite.SqliteStore`. Nothing outside the two implementations knows which
engine runs.

Every statement reads and writes named columns (`Row`, `Entry`); bind values are
made from typed keys (`Key`: uuids and a date) inside the implementation.

The freshness protocol (docs/architecture.md "Availability cache"): an entry is
served only while the three counter values stored with it equal the current ones,
which the lookup statement reads in the same snapshot as the entry (`Row.fresh`).
"""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Mapping, NamedTuple, Sequence

from sqlalchemy import text

from portal.models.logs import GLOBAL_SCOPE
from portal.slots.statements import (
    COUNTERS, DAY_COUNTERS, DAYS, FIGURES, FRESH, GENERATIONS, LOOKUP, PRUNE, PRUNE_DAY_COUNTERS, PRUNE_STATS,
    RANGE_COUNTERS, RECORD_REQUESTS, REQUEST_COUNTS, SAVE, STALE_OFFERS, TABLE_COUNTERS,
)

UTC = timezone.utc
# A local date D lies within UTC dates [D-1, D+1] (offsets -12..+14 h); with the buffer
# (at most 120 min, a database check) an entry's occupancy span stays within these.
DAY_MARGIN = timedelta(days=2)


class Key(NamedTuple):
    stylist: uuid.UUID
    service: uuid.UUID
    day: date


class Row(NamedTuple):
    """One key as the lookup statement reads it: the current counters and the entry
    (entry columns None when there is none). `entry` is the stored JSON (text or bytes)."""

    stylist_now: int
    global_now: int
    days_now: int
    entry: str | bytes | None
    computed_at: datetime | None
    expires_at: datetime | None
    stylist_generation: int | None
    global_generation: int | None
    day_generation: int | None

    def fresh(self, now: datetime) -> bool:
        """The entry exists, every counter it was computed under is still current, and
        it has not outlived its time-to-live (which only bounds storage)."""
        return (self.entry is not None and self.stylist_generation == self.stylist_now
                and self.global_generation == self.global_now and self.day_generation == self.days_now
                and self.expires_at > now)

    def proof(self) -> tuple:
        """What identifies the stored entry (same key and proof: the same bytes)."""
        return self.stylist_generation, self.global_generation, self.day_generation, self.computed_at


class RangeRead:
    """A date range's entries as one statement read them (`names`: its columns).
    `identity`: every row without its entry — two reads with the same identity saw the
    same entries under the same current counters, so a days answer made from the first
    is right for the second; `entries` (made only when asked for): date -> Row."""

    def __init__(self, store: "Store", names: tuple[str, ...], rows: list[Sequence]):
        self.store, self.names, self.rows = store, names, rows
        at = names.index("entry")
        self.identity = tuple((*r[:at], *r[at + 1:]) for r in rows)
        self._entries: dict[date, Row] | None = None

    @property
    def entries(self) -> dict[date, Row]:
        if self._entries is None:
            read_day, row = self.store.read_day, self.store.row
            self._entries = {read_day(named["cache_date"]): row(named)
                             for named in (dict(zip(self.names, r)) for r in self.rows)}
        return self._entries


@dataclass(frozen=True)
class Generations:
    """The counters a computation read before its data: the coarse ones and each date's
    day counters (both scopes summed) over [first - 2, last + 2]."""

    stylist: int
    global_: int
    days: dict[date, int]

    def day_sum(self, first: date, last: date) -> int | None:
        """The entry's stored day counter over [first, last]; None when that range lies
        outside what was read (then nothing is stored)."""
        if not self.days or first < min(self.days) or last > max(self.days):
            return None
        return sum(v for d, v in self.days.items() if first <= d <= last)


@dataclass(frozen=True)
class Entry:
    """One entry to upsert."""

    key: Key
    plan: str  # the stored JSON (`plan.encode`)
    computed_at: datetime
    expires_at: datetime
    stylist_generation: int
    global_generation: int
    day_generation: int
    days_from: date
    days_to: date


@lru_cache(maxsize=8192)
def text_instant(value: str) -> datetime:
    """A database's UTC text as an aware instant (an entry's instants repeat on every hit)."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def counters_over(first: date, last: date, read: dict[date, int]) -> dict[date, int]:
    """Every date of [first - 2, last + 2], with the counters `read` (0 where none)."""
    span = (last - first).days + 2 * DAY_MARGIN.days
    start = first - DAY_MARGIN
    return {start + timedelta(days=n): 0 for n in range(span + 1)} | read


@dataclass
class Held:
    """A thread's own connection: detached from the pool, in autocommit."""

    store: "Store"
    conn: object  # the SQLAlchemy Connection (the loader's statements)
    dbapi: object  # its DBAPI connection (the hot statements)
    cursor: object  # the hits' cursor, reused
    locks: set = field(default_factory=set)  # the advisory locks it holds (PostgreSQL)


class Store:
    """The interface, with what both engines share; the implementations supply the
    bind values, the statements' dialect parts and the hot paths."""

    prefix = ""  # the private schema's prefix in statements
    locks = False  # whether concurrent misses of one key queue on a lock (`before_miss(lock=True)`)
    entry_column = "c.available_slots"
    plan_value = ":plan"
    _local = threading.local()  # one held connection per thread, whichever store holds it

    def __init__(self, engine):
        self.engine = engine
        self.sql = {name: self._statement(template) for name, template in (
            ("lookup", LOOKUP), ("days", DAYS), ("generations", GENERATIONS), ("day_counters", DAY_COUNTERS),
            ("save", SAVE), ("fresh", FRESH), ("prune", PRUNE), ("prune_day_counters", PRUNE_DAY_COUNTERS),
            ("prune_stats", PRUNE_STATS), ("record_requests", RECORD_REQUESTS),
            ("request_counts", REQUEST_COUNTS), ("figures", FIGURES), ("stale_offers", STALE_OFFERS))}

    def _statement(self, template: str) -> str:
        day_counters = (RANGE_COUNTERS if template is DAYS else TABLE_COUNTERS).format(p=self.prefix)
        counters = COUNTERS.format(p=self.prefix, entry=self.entry_column, day_counters=day_counters)
        return template.format(p=self.prefix, counters=counters, plan=self.plan_value)

    # --- bind values and column values: the implementations differ -------------------
    def bind_id(self, value: uuid.UUID):
        return value

    def bind_day(self, value: date):
        return value

    def bind_instant(self, value: datetime):
        return value

    def read_day(self, value) -> date:
        return value

    def read_instant(self, value) -> datetime:
        return value

    def key_values(self, key: Key) -> dict:
        return {"stylist": self.bind_id(key.stylist), "service": self.bind_id(key.service),
                "day": self.bind_day(key.day), "global_scope": self.bind_id(GLOBAL_SCOPE)}

    def row(self, named: Mapping[str, Any]) -> Row:
        """A lookup's columns, by name, as a Row (counters as ints, instants aware)."""
        def count(name: str) -> int | None:
            value = named[name]
            return None if value is None else int(value)

        def instant(name: str) -> datetime | None:
            value = named[name]
            return None if value is None else self.read_instant(value)

        return Row(count("stylist_now") or 0, count("global_now") or 0, count("days_now") or 0, named["entry"],
                   instant("computed_at"), instant("expires_at"), count("stylist_generation"),
                   count("global_generation"), count("day_generation"))

    # --- this thread's connection ----------------------------------------------------
    def held(self) -> Held:
        held = getattr(self._local, "held", None)
        if held is not None and held.store is self:
            return held
        self.close()
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        conn.connection.detach()
        dbapi = conn.connection.dbapi_connection
        held = Held(self, conn, dbapi, dbapi.cursor())
        self.prepare(held)
        self._local.held = held
        return held

    def prepare(self, held: Held) -> None:
        """Set up a new connection (the implementations' session settings)."""

    def close(self) -> None:
        held = getattr(self._local, "held", None)
        self._local.held = None
        if held is not None:
            try:
                held.conn.close()
            except Exception:  # already broken  # noqa: BLE001
                pass

    def reader(self):
        return self.held().conn

    def _run(self, work):
        """`work(held)` on this thread's connection; a failure closes it and re-raises."""
        held = self.held()
        try:
            return work(held)
        except Exception:
            self.close()
            raise

    # --- the statements both engines run alike ---------------------------------------
    def lookup_range(self, stylist: uuid.UUID, service: uuid.UUID, first: date, last: date) -> RangeRead:
        values = {**self.key_values(Key(stylist, service, first)), "first": self.bind_day(first),
                  "last": self.bind_day(last)}
        names, rows = self._run(lambda held: self.hot_rows(held, "days", values))
        return RangeRead(self, names, rows)

    def hot_rows(self, held: Held, name: str, values: dict) -> tuple[tuple[str, ...], list[Sequence]]:
        """A hot statement's column names and rows, in one round trip."""
        raise NotImplementedError

    def lookup(self, key: Key) -> Row:
        raise NotImplementedError

    def generations(self, key: Key, first: date, last: date, coarse: Row | None = None) -> Generations:
        """The counters before any data (coarse from `coarse` or read now; the day
        counters over [first - 2, last + 2])."""
        values = {**self.key_values(key), "first": self.bind_day(first - DAY_MARGIN),
                  "last": self.bind_day(last + DAY_MARGIN)}

        def read(held: Held):
            conn = held.conn
            if coarse is not None:
                stylist_now, global_now = coarse.stylist_now, coarse.global_now
            else:
                now = conn.execute(text(self.sql["generations"]), values).one()
                stylist_now, global_now = now.stylist_now, now.global_now
            days: dict[date, int] = {}
            for counter in conn.execute(text(self.sql["day_counters"]), values):
                day = self.read_day(counter.day)
                days[day] = days.get(day, 0) + int(counter.generation)
            return Generations(int(stylist_now or 0), int(global_now or 0), counters_over(first, last, days))
        return self._run(read)

    def before_miss(self, key: Key, coarse: Row, now: datetime, *, lock: bool,
                    siblings: bool) -> tuple[bool, Generations, list | None]:
        """What a miss of `key` reads before its data: the day counters over [day - 2,
        day + 2] (the coarse ones from `coarse`, the lookup), with `lock` the key's lock
        (where the store has locks), and with `siblings` the stale offers of the date
        (`stale_offers`; None: not read yet, ask when needed). Returns (lock taken or not
        needed, counters, offers)."""
        return True, self.generations(key, key.day, key.day, coarse=coarse), None  # no locks here

    def wait_for(self, key: Key) -> Row:
        """Wait for whoever computes `key` (take its lock), then look it up again."""
        return self.lookup(key)

    def entry_values(self, entry: Entry) -> dict:
        return {**self.key_values(entry.key), "plan": entry.plan,
                "computed_at": self.bind_instant(entry.computed_at), "expires_at": self.bind_instant(entry.expires_at),
                "stylist_generation": entry.stylist_generation, "global_generation": entry.global_generation,
                "day_generation": entry.day_generation, "days_from": self.bind_day(entry.days_from),
                "days_to": self.bind_day(entry.days_to)}

    def save(self, entries: list[Entry], release: Key | None = None) -> None:
        """Upsert the entries (autocommit, one statement; a stored entry with newer
        coarse generations is kept), then release `release`'s lock, if held."""
        rows = [self.entry_values(e) for e in entries]
        if rows:
            self._run(lambda held: held.conn.execute(text(self.sql["save"]), rows))

    def release(self, key: Key) -> None:
        """Release the key's lock if this thread holds it."""

    def fresh_keys(self, stylist: uuid.UUID, first: date, last: date, now: datetime) -> set[tuple[str, date]]:
        """(service id text, date) of the stylist's present and fresh entries in [first, last]."""
        values = {**self.key_values(Key(stylist, stylist, first)), "first": self.bind_day(first),
                  "last": self.bind_day(last), "now": self.bind_instant(now)}
        rows = self._run(lambda held: held.conn.execute(text(self.sql["fresh"]), values).all())
        return {(str(r.service_id), self.read_day(r.cache_date)) for r in rows}

    def stale_offers(self, key: Key, now: datetime) -> list:
        """The stylist's other offered services (terms as `services` and `stylist_services`
        rows hold them) whose entry for the key's date is missing or not fresh."""
        values = {**self.key_values(key), "now": self.bind_instant(now)}
        return self._run(lambda held: held.conn.execute(text(self.sql["stale_offers"]), values).all())

    def prune(self, now: datetime, past: date, counters_before: date, stats_before: datetime) -> tuple[int, int]:
        """Delete expired, past and stale entries, old day counters and old request
        statistics, in one transaction: (entries, statistics rows) deleted."""
        with self.engine.begin() as conn:
            entries = conn.execute(text(self.sql["prune"]), {
                "now": self.bind_instant(now), "past": self.bind_day(past),
                "global_scope": self.bind_id(GLOBAL_SCOPE)}).rowcount
            conn.execute(text(self.sql["prune_day_counters"]), {"before": self.bind_day(counters_before)})
            stats = conn.execute(text(self.sql["prune_stats"]), {"before": self.bind_instant(stats_before)}).rowcount
        return entries, stats

    def record_requests(self, counts: dict[tuple[datetime, str], int]) -> None:
        """Add per-minute request counts to the statistics (one transaction)."""
        rows = [{"minute": self.bind_instant(minute), "result": result, "n": n}
                for (minute, result), n in counts.items()]
        with self.engine.begin() as conn:
            conn.execute(text(self.sql["record_requests"]), rows)

    def request_counts(self, conn, since: datetime) -> list[tuple[datetime, str, int]]:
        """(minute, hit|miss, requests) from `since` on, read on `conn` (a report's snapshot)."""
        rows = conn.execute(text(self.sql["request_counts"]), {"since": self.bind_instant(since)})
        return [(self.read_instant(r.minute), r.result, r.requests) for r in rows]

    def figures(self, conn) -> tuple[int, int]:
        """(cache entries, invalidations so far = the sum of every coarse counter), on `conn`."""
        figures = conn.execute(text(self.sql["figures"])).one()
        return int(figures.entries or 0), int(figures.invalidations or 0)
