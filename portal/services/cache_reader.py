"""Reading the availability cache: the lookup statement, its named columns, and the hit path's connection.

`LOOKUP` returns, in ONE statement (one snapshot), the current counters that can
invalidate an entry and the entry itself:

- `stylist_now`, `global_now`: the coarse counters (`availability_generation`) of the
  stylist and of the global scope;
- `days_now`: the sum of the day counters (`availability_day_generation`) of both
  scopes over the entry's own [days_from, days_to];
- the entry's columns, among them the three values stored when it was computed.

The hit path runs it on a DBAPI connection of its own per thread, detached from the
pool, in autocommit mode: no pool checkout (and so no pre-ping), no BEGIN/COMMIT, no
ORM session; on PostgreSQL the statement is prepared once per connection and run
through libpq (`PREPARED`, portal/services/cache_libpq.py). A failure closes
that connection and the caller falls back to the session, which reports an
unreachable database the usual way (503). `DAYS` is the range form for the days
endpoint: every entry of a date range with its proof, in one statement (the range's
day counters are read once, not once per entry; portal/services/cache_range.py).
"""
from __future__ import annotations

import threading
import uuid
from datetime import date
from typing import Callable, NamedTuple, Sequence

from sqlalchemy import text

from portal.models.logs import GLOBAL_SCOPE
from portal.services.cache_libpq import Prepared

_COUNTERS = """
  (SELECT generation FROM {p}availability_generation WHERE scope = :stylist) AS stylist_now,
  (SELECT generation FROM {p}availability_generation WHERE scope = :global_scope) AS global_now,
  (SELECT sum(d.generation) FROM {day_counters} AND d.day BETWEEN c.days_from AND c.days_to) AS days_now,
  {entry} AS entry, c.computed_at, c.expires_at,
  c.stylist_generation, c.global_generation, c.day_generation"""
# where days_now sums from: the counters table itself (one entry), or the range's counters
# read once (`DAYS`'s `d`): 14 correlated scans of the table cost 0.5 ms more than one
_TABLE_COUNTERS = "{p}availability_day_generation AS d WHERE d.scope IN (:stylist, :global_scope)"
_RANGE_COUNTERS = "d WHERE true"

LOOKUP = """
SELECT {counters}
FROM (SELECT 1 AS one) AS one
LEFT JOIN {p}availability_cache AS c
  ON c.stylist_user_id = :stylist AND c.service_id = :service AND c.cache_date = :day
"""

DAYS = """
WITH e AS MATERIALIZED (
  SELECT * FROM {p}availability_cache AS c
  WHERE c.stylist_user_id = :stylist AND c.service_id = :service AND c.cache_date BETWEEN :first AND :last),
d AS MATERIALIZED (
  SELECT g.day, g.generation FROM {p}availability_day_generation AS g
  WHERE g.scope IN (:stylist, :global_scope)
    AND g.day BETWEEN (SELECT min(days_from) FROM e) AND (SELECT max(days_to) FROM e))
SELECT c.cache_date, {counters}
FROM e AS c
"""

GENERATIONS = """
SELECT (SELECT generation FROM {p}availability_generation WHERE scope = :stylist) AS stylist_now,
       (SELECT generation FROM {p}availability_generation WHERE scope = :global_scope) AS global_now
"""

# The day counters a computation reads before its data. On PostgreSQL the same statement
# tries the key's advisory lock (no extra round trip when nobody else computes the key;
# a NULL key takes none) and makes the transaction's commit asynchronous: it writes only
# derived cache rows, which a crash may lose without harm (WAL order is kept, so no later
# counter bump survives without them), and the miss need not wait for a WAL flush.
DAY_COUNTERS = """
SELECT d.day, d.generation FROM {p}availability_day_generation AS d
WHERE d.scope IN (:stylist, :global_scope) AND d.day BETWEEN :first AND :last
"""
DAY_COUNTERS_PG = """
SELECT l.locked, d.day, d.generation
FROM (SELECT {lock}(CAST(:lock_key AS bigint)) AS locked,
             set_config('synchronous_commit', 'off', true) AS async_commit) AS l
LEFT JOIN private.availability_day_generation AS d
  ON d.scope IN (:stylist, :global_scope) AND d.day BETWEEN :first AND :last
"""


# PostgreSQL hands the entry over as text: psycopg would otherwise parse the jsonb into
# Python objects on every hit, although the process decodes an entry only once (memo).
ENTRY = {"postgresql": "CAST(c.available_slots AS text)", "sqlite": "c.available_slots"}


def _both(template: str, day_counters: str = _TABLE_COUNTERS) -> dict[str, str]:
    def counters(p: str, dialect: str) -> str:
        return _COUNTERS.format(p=p, entry=ENTRY[dialect], day_counters=day_counters.format(p=p))
    return {"postgresql": template.format(p="private.", counters=counters("private.", "postgresql")),
            "sqlite": template.format(p="", counters=counters("", "sqlite"))}


STATEMENTS = {"lookup": _both(LOOKUP), "days": _both(DAYS, _RANGE_COUNTERS),
              "generations": _both(GENERATIONS), "day_counters": _both(DAY_COUNTERS)}


class CacheRow(NamedTuple):
    """One row of LOOKUP (entry columns are None when there is no entry)."""

    stylist_now: int | None
    global_now: int | None
    days_now: int | None
    entry: object
    computed_at: object
    expires_at: object
    stylist_generation: int | None
    global_generation: int | None
    day_generation: int | None


def key_params(dialect: str, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date) -> dict:
    """Bind values for the statements above (SQLite stores uuids and dates as text)."""
    if dialect == "postgresql":
        return {"stylist": stylist_id, "service": service_id, "day": day, "global_scope": GLOBAL_SCOPE}
    return {"stylist": str(stylist_id), "service": str(service_id), "day": day.isoformat(),
            "global_scope": str(GLOBAL_SCOPE)}


def bind_day(dialect: str, day: date):
    return day if dialect == "postgresql" else day.isoformat()


def lookup_in(conn, dialect: str, params: dict) -> CacheRow:
    """LOOKUP on a SQLAlchemy connection (the session's transaction)."""
    return CacheRow(*conn.execute(text(STATEMENTS["lookup"][dialect]), params).one())


def day_counters(conn, dialect: str, params: dict, first: date, last: date,
                 lock_key: int | None = None, hold: str = "transaction") -> tuple[bool, dict[date, int]]:
    """(lock taken, {day: sum of both scopes' counters}) over [first, last]. With
    `lock_key` (PostgreSQL) the same statement tries the key's advisory lock: for the
    transaction inside one, else for the connection (the caller then unlocks it)."""
    values = {**params, "first": bind_day(dialect, first), "last": bind_day(dialect, last)}
    counters: dict[date, int] = {}
    locked = True
    if dialect == "postgresql":
        lock = {"transaction": "pg_try_advisory_xact_lock", "connection": "pg_try_advisory_lock"}[hold]
        rows = conn.execute(text(DAY_COUNTERS_PG.format(lock=lock)), {**values, "lock_key": lock_key})
    else:
        rows = ((None, *r) for r in conn.execute(text(STATEMENTS["day_counters"][dialect]), values))
    for got, day, generation in rows:
        locked = got is not False
        if day is not None:
            day = as_date(day)
            counters[day] = counters.get(day, 0) + int(generation)
    return locked, counters


def as_date(value) -> date:
    """A date as a driver hands it over: a date, or ISO text (str, or libpq's bytes)."""
    if isinstance(value, bytes):
        value = value.decode()
    return date.fromisoformat(value) if isinstance(value, str) else value


# --- the hit path's own connection ---------------------------------------------------

_local = threading.local()


def connection(engine):
    """This thread's own SQLAlchemy connection, in autocommit, detached from the pool
    (the pool neither counts nor recycles it; no pre-ping). Hits use its DBAPI
    connection directly; a miss runs its loader statements on it."""
    held = getattr(_local, "held", None)
    if held is not None and held[0] is engine:
        return held[1]
    close()
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    conn.connection.detach()
    if engine.dialect.name == "postgresql":
        # it writes only derived cache rows: no need to wait for the WAL flush (a crash
        # may lose the last entries; WAL order keeps every later counter bump with them)
        conn.exec_driver_sql("SET synchronous_commit = off")
        conn.exec_driver_sql("SET DateStyle = 'ISO, YMD'")  # the hit reads instants as ISO text
    dbapi = conn.connection.dbapi_connection
    if engine.dialect.name == "postgresql":
        for statement in PREPARED.values():
            statement.prepare(dbapi.pgconn)
    _local.held = (engine, conn, dbapi, dbapi.cursor())  # the hits' cursor, reused
    return conn


def engine_of(session):
    """The engine of `session` without opening it: Flask-SQLAlchemy's scoped session
    would create a Session (and remove it at teardown) just to answer `get_bind()`,
    which a hit never needs. The portal has one engine (no binds)."""
    from portal.extensions import db

    return db.engine if session is db.session else session.get_bind()


def _dbapi(engine):
    connection(engine)
    return _local.held[2]


def close() -> None:
    """Close this thread's connection (after a failure; releases its session locks)."""
    held = getattr(_local, "held", None)
    _local.held = None
    if held is not None:
        try:
            held[1].close()
        except Exception:  # already broken
            pass


def hit_rows(engine, name: str, values: dict) -> list:
    """The rows of statement `name` ("lookup" or "days") in one round trip on this
    thread's own autocommit connection: on PostgreSQL prepared and run through libpq
    (`PREPARED`: libpq's text values, see `row_of`), on SQLite (its named style, as the
    statements are written) on the cursor the connection keeps for hits."""
    connection(engine)
    held = _local.held
    try:
        if engine.dialect.name == "postgresql":
            return PREPARED[name].rows(held[2].pgconn, values)
        cursor = held[3]
        cursor.execute(STATEMENTS[name]["sqlite"], values)
        return cursor.fetchall()
    except Exception:
        close()
        raise


def read(engine, params: dict) -> CacheRow:
    """LOOKUP in one round trip on this thread's own autocommit connection."""
    return row_of(engine.dialect.name)(hit_rows(engine, "lookup", params)[0])


# the two hot statements through libpq on PostgreSQL (portal/services/cache_libpq.py)
PREPARED = {"lookup": Prepared("portal_cache_lookup", STATEMENTS["lookup"]["postgresql"],
                               ("stylist", "service", "day", "global_scope")),
            "days": Prepared("portal_cache_days", STATEMENTS["days"]["postgresql"],
                             ("stylist", "service", "first", "last", "global_scope"))}
_AS_INT = (0, 1, 2, 6, 7, 8)  # CacheRow's counters


def row_of(dialect: str) -> Callable[[Sequence], CacheRow]:
    """How `hit_rows`' values become a CacheRow."""
    return text_row if dialect == "postgresql" else CacheRow._make


def text_row(values: Sequence) -> CacheRow:
    """CacheRow of libpq's text values: ints for the counters, ISO text for the instants
    (`slot_cache._instant` parses each distinct one once), the entry left as bytes."""
    values = list(values)
    for n, value in enumerate(values):
        if value is not None and n != 3:
            values[n] = int(value) if n in _AS_INT else value.decode()
    return CacheRow(*values)


def write(engine, statement: str, values: dict) -> None:
    """One autocommitted write (a miss's upsert) on this thread's own connection."""
    conn = _dbapi(engine)
    try:
        conn.execute(statement, values).close()
    except Exception:
        close()
        raise


def write_many(engine, statement: str, rows: list[dict]) -> None:
    """One autocommitted executemany (a range's upserts) on this thread's own connection."""
    conn = _dbapi(engine)
    try:
        conn.cursor().executemany(statement, rows)
    except Exception:
        close()
        raise
