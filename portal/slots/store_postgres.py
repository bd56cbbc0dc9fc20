"""The store on PostgreSQL (portal/slots/store.py is the interface).

What differs from SQLite:
- the two hot statements (a hit, a cached range) are prepared once per connection and
  run through libpq (psycopg's public `pq` module), their parameters sent and their
  values taken as text: psycopg's cursor layer (placeholder conversion, adapters,
  result objects) was a third of a hit's driver time. The entry stays the JSON text
  the process decodes once (`memo`); counters become ints and instants are parsed
  from ISO text (the connection sets `DateStyle` to ISO);
- concurrent misses on one key queue on a connection-level advisory lock (a 64-bit
  BLAKE2 hash of the key), tried in the same statement that reads the day counters;
  the upsert and the unlock go out together in one round trip (libpq pipeline mode,
  each its own transaction, so a waiter that gets the lock finds the entry committed);
- the connection writes only derived cache rows: asynchronous commit (a crash may lose
  the last entries; WAL order keeps every later counter bump with them).
"""
from __future__ import annotations

import hashlib
import re
import time
from datetime import date, datetime
from typing import NamedTuple, Sequence

from psycopg import OperationalError, pq
from sqlalchemy import text

from portal.database import PRIVATE_SCHEMA, ROUND_TRIP_SECONDS, last_result_within, next_result_by, private
from portal.slots.store import DAY_MARGIN, Generations, Held, Key, Row, Store, counters_over, text_instant

DAY_COUNTERS_LOCKING = """
SELECT l.locked, d.day, d.generation
FROM (SELECT pg_try_advisory_lock(CAST(:lock_key AS bigint)) AS locked) AS l
LEFT JOIN {day_generations} AS d
  ON d.scope IN (:stylist, :global_scope) AND d.day BETWEEN :first AND :last
""".format(day_generations=private("availability_day_generation"))


class Prepared:
    """A statement written with `:name` parameters, as libpq takes it: `$n` in the order of `names`."""

    def __init__(self, name: str, sql: str, names: tuple[str, ...]):
        self.name = name.encode()
        self.names = names
        self.sql = re.sub(r":(\w+)", lambda m: f"${names.index(m.group(1)) + 1}", sql).encode()
        self.columns: tuple[str, ...] | None = None

    def prepare(self, pgconn) -> None:
        _checked(pgconn.prepare(self.name, self.sql), pq.ExecStatus.COMMAND_OK)

    def params(self, values: dict) -> list[bytes]:
        return [str(values[n]).encode() for n in self.names]

    def rows(self, pgconn, values: dict) -> tuple[tuple[str, ...], list[list[bytes | None]]]:
        """The column names and every row's values (None for NULL), in one round trip —
        waiting at most ROUND_TRIP_SECONDS for a server that may have gone silent
        (TimeoutError: the caller falls back, security.md "outages")."""
        pgconn.send_query_prepared(self.name, self.params(values))
        result = _checked(last_result_within(pgconn, ROUND_TRIP_SECONDS), pq.ExecStatus.TUPLES_OK)
        value, width = result.get_value, result.nfields
        if self.columns is None:  # the same statement: the same columns
            self.columns = tuple(result.fname(column).decode() for column in range(width))
        return self.columns, [[value(row, column) for column in range(width)] for row in range(result.ntuples)]


def _checked(result, wanted):
    if result is None or result.status != wanted:
        message = result.error_message.decode(errors="replace") if result is not None else "no result"
        raise OperationalError(message)
    return result


def advisory_key(key: Key) -> int:
    digest = hashlib.blake2b(f"slots:{key.stylist}:{key.service}:{key.day}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PostgresStore(Store):
    prefix = PRIVATE_SCHEMA + "."
    # the entry as text: psycopg would otherwise parse the jsonb on every hit
    entry_column = "CAST(c.available_slots AS text)"
    plan_value = "CAST(:plan AS jsonb)"
    locks = True

    @staticmethod
    def serves(engine) -> bool:
        return engine.dialect.name == "postgresql"

    def __init__(self, engine):
        super().__init__(engine)
        self.prepared = {
            "lookup": Prepared("portal_cache_lookup", self.sql["lookup"], ("stylist", "service", "day", "global_scope")),
            "days": Prepared("portal_cache_days", self.sql["days"],
                             ("stylist", "service", "first", "last", "global_scope")),
            "day_counters_locking": Prepared("portal_cache_day_counters_locking", DAY_COUNTERS_LOCKING,
                                             ("lock_key", "stylist", "global_scope", "first", "last")),
            "day_counters": Prepared("portal_cache_day_counters", self.sql["day_counters"],
                                     ("stylist", "global_scope", "first", "last")),
            "stale_offers": Prepared("portal_cache_stale_offers", self.sql["stale_offers"],
                                     ("stylist", "service", "day", "now", "global_scope")),
            "save": Prepared("portal_cache_save", self.sql["save"],
                             ("stylist", "service", "day", "plan", "computed_at", "expires_at", "stylist_generation",
                              "global_generation", "day_generation", "days_from", "days_to")),
        }

    def prepare(self, held: Held) -> None:
        held.conn.exec_driver_sql("SET synchronous_commit = off")
        held.conn.exec_driver_sql("SET DateStyle = 'ISO, YMD'")  # instants as ISO text
        for statement in self.prepared.values():
            statement.prepare(held.dbapi.pgconn)

    # libpq's text values
    def read_day(self, value) -> date:
        if isinstance(value, bytes):
            value = value.decode()
        return date.fromisoformat(value) if isinstance(value, str) else value

    def read_instant(self, value) -> datetime:
        if isinstance(value, bytes):
            value = value.decode()
        return text_instant(value) if isinstance(value, str) else value

    def lookup(self, key: Key) -> Row:
        values = self.key_values(key)
        names, rows = self._run(lambda held: self.prepared["lookup"].rows(held.dbapi.pgconn, values))
        return self.row(dict(zip(names, rows[0])))

    def hot_rows(self, held: Held, name: str, values: dict) -> tuple[tuple[str, ...], list[Sequence]]:
        return self.prepared[name].rows(held.dbapi.pgconn, values)

    def before_miss(self, key: Key, coarse: Row, now: datetime, *, lock: bool,
                    siblings: bool) -> tuple[bool, Generations, list | None]:
        """The day counters, the try-lock and the stale offers in ONE round trip (libpq
        pipeline mode), their values read from libpq's text."""
        lock_key = advisory_key(key)
        values = {**self.key_values(key), "first": key.day - DAY_MARGIN, "last": key.day + DAY_MARGIN,
                  "now": now.isoformat(), "lock_key": lock_key}
        sends = [self.prepared["day_counters_locking" if lock else "day_counters"]]
        if siblings:
            sends.append(self.prepared["stale_offers"])

        def read(held: Held):
            (names, counters), *offered = _pipelined(held.dbapi.pgconn, [(s, values) for s in sends])
            locked, days = not lock, {}
            for named in (dict(zip(names, r)) for r in counters):
                locked = locked or named.get("locked") == b"t"
                if named["day"] is not None:
                    day = self.read_day(named["day"])
                    days[day] = days.get(day, 0) + int(named["generation"])
            if lock and locked:
                held.locks.add(lock_key)
            offers = [Offered(**{n: _int_or_text(n, v) for n, v in zip(names, r)})
                      for names, rows in offered for r in rows] if siblings else None
            return locked, days, offers
        locked, days, offers = self._run(read)
        gens = Generations(coarse.stylist_now, coarse.global_now, counters_over(key.day, key.day, days))
        return locked, gens, offers

    def wait_for(self, key: Key) -> Row:
        lock_key = advisory_key(key)

        def wait(held: Held) -> None:
            held.conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": lock_key})
            held.locks.add(lock_key)
        self._run(wait)
        return self.lookup(key)

    def save(self, entries: list, release: Key | None = None) -> None:
        """The upserts and the unlock in one round trip: libpq's pipeline mode, a sync
        after each statement (each commits on its own, the entries before the unlock)."""
        lock_key = advisory_key(release) if release is not None else None

        def send(held: Held) -> None:
            pgconn, save = held.dbapi.pgconn, self.prepared["save"]
            unlock = lock_key is not None and lock_key in held.locks
            pgconn.enter_pipeline_mode()
            try:
                for entry in entries:
                    pgconn.send_query_prepared(save.name, save.params(self.entry_values(entry)))
                    pgconn.pipeline_sync()
                if unlock:
                    pgconn.send_query_params(b"SELECT pg_advisory_unlock($1)", [str(lock_key).encode()])
                    pgconn.pipeline_sync()
                _drain(pgconn, len(entries) + unlock)
            finally:
                pgconn.exit_pipeline_mode()
            if unlock:
                held.locks.discard(lock_key)
        self._run(send)

    def release(self, key: Key) -> None:
        lock_key = advisory_key(key)
        held = getattr(self._local, "held", None)
        if held is None or held.store is not self or lock_key not in held.locks:
            return  # not held (or its connection closed, which released it)
        try:
            held.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": lock_key})
            held.locks.discard(lock_key)
        except Exception:  # noqa: BLE001 — closing the connection releases its locks
            self.close()


class Offered(NamedTuple):
    """A stale sibling offer (`STALE_OFFERS`'s columns)."""

    service_id: str
    duration_minutes: int
    base_price_cents: int
    min_advance_hours: int
    max_advance_days: int
    custom_price_cents: int | None
    custom_duration_minutes: int | None


def _int_or_text(name: str, value: bytes | None):
    if value is None:
        return None
    return value.decode() if name == "service_id" else int(value)


def _pipelined(pgconn, sends: list[tuple[Prepared, dict]]) -> list[tuple[tuple[str, ...], list[list]]]:
    """Each prepared statement's (column names, rows of libpq text values), all sent in
    one round trip (pipeline mode, one sync); raise on the first error."""
    pgconn.enter_pipeline_mode()
    try:
        for statement, values in sends:
            pgconn.send_query_prepared(statement.name, statement.params(values))
        pgconn.pipeline_sync()
        results, error = [], None
        while True:
            # a server silent for ROUND_TRIP_SECONDS: TimeoutError (the caller falls back), not a hang
            result = next_result_by(pgconn, time.monotonic() + ROUND_TRIP_SECONDS)
            if result is None:
                if pgconn.status == pq.ConnStatus.BAD:
                    raise OperationalError("the connection was lost")
                continue
            if result.status == pq.ExecStatus.PIPELINE_SYNC:
                break
            if result.status != pq.ExecStatus.TUPLES_OK:
                error = error or result.error_message.decode(errors="replace") or "aborted pipeline"
                continue
            value, width = result.get_value, result.nfields
            results.append((tuple(result.fname(c).decode() for c in range(width)),
                            [[value(row, c) for c in range(width)] for row in range(result.ntuples)]))
    finally:
        pgconn.exit_pipeline_mode()
    if error:
        raise OperationalError(error)
    return results


def _drain(pgconn, syncs: int) -> None:
    """Read every result of a pipeline with `syncs` sync points; raise on the first error."""
    error = None
    while syncs:
        # a server silent for ROUND_TRIP_SECONDS: TimeoutError, not a hang
        result = next_result_by(pgconn, time.monotonic() + ROUND_TRIP_SECONDS)
        if result is None:
            continue
        if result.status == pq.ExecStatus.PIPELINE_SYNC:
            syncs -= 1
        elif result.status not in (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK):
            error = error or result.error_message.decode(errors="replace")
    if error:
        raise OperationalError(error)
