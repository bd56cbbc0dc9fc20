"""Engine set-up that makes SQLite behave like the production database where it can.

- `private.*` tables live in the main SQLite file (schema translate map).
- Foreign keys on, WAL journal, a busy timeout so concurrent writers queue.
- Transactions begin when the first statement runs, as `BEGIN` — or `BEGIN IMMEDIATE`
  when a service asks for a write lock up front (`write_lock()`), the SQLite
  counterpart of PostgreSQL's row locks for check-then-write use-cases.
- `use_case()`: the one transaction shape of every committing service;
  `fresh_snapshot()`: a reader's way to see the latest commits (commits nothing);
  `for_update()`: the one way to lock rows, which always returns what it locked.
"""
from __future__ import annotations

import select
import sqlite3
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping

import psycopg
from sqlalchemy import Select, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, IntegrityError, InvalidatePoolError
from sqlalchemy.pool import Pool
from sqlalchemy.orm import scoped_session
from sqlalchemy.orm.exc import StaleDataError

from portal.domain.refusals import Refused, Stale

PRIVATE_SCHEMA = "private"  # logs, sign-in secrets, the slots cache: a schema of their own on PostgreSQL
SQLITE_SCHEMA_MAP = {PRIVATE_SCHEMA: None}  # on SQLite they live in the main file
IMMEDIATE = "sqlite_begin_immediate"
FRESH = "portal_fresh"  # a pooled connection's mark: made for this checkout, no ping needed
# a ping, or a slots cache hit, on an open connection: one round trip. Slower than this,
# the database counts as silent (the ping gives up the pool, the hit takes the session path)
ROUND_TRIP_SECONDS = 2.0


def private(table: str) -> str:
    """A private table's name in PostgreSQL's SQL text: `private.<table>`."""
    return f"{PRIVATE_SCHEMA}.{table}"


def engine_options(database_uri: str, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Per-dialect engine options for Flask-SQLAlchemy (`settings`: the app's config)."""
    if database_uri.startswith("sqlite"):
        return {
            "execution_options": {"schema_translate_map": SQLITE_SCHEMA_MAP},
            "connect_args": {"timeout": 30, "check_same_thread": False},
        }
    # pool_pre_ping's ping has no time limit: a pooled connection whose server went silent
    # would hang the request; the checkout ping below (`_ping_within_a_round_trip`) has one
    return {"pool_pre_ping": False, "pool_timeout": _seconds(settings, "DATABASE_POOL_TIMEOUT_SECONDS", 5),
            "connect_args": postgresql_timeouts(settings)}


def postgresql_timeouts(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """libpq parameters so that a database that stops answering costs a request seconds:

    - `connect_timeout`: a server (or a proxy in front of it) that accepts the connection
      and never answers fails the attempt after this long — the request answers 503;
    - `statement_timeout` (sent at connection start): the server ends a statement that runs
      longer, e.g. one stuck behind a lock;
    - TCP keepalives and `tcp_user_timeout`: a connection whose peer vanished (network cut,
      host down) is given up after about `DATABASE_TCP_TIMEOUT_SECONDS`, rather than the
      kernel's two hours of keepalive or fifteen minutes of retransmissions.
    """
    connect = max(2, _seconds(settings, "DATABASE_CONNECT_TIMEOUT_SECONDS", 3))  # libpq's minimum is 2
    statement = _seconds(settings, "DATABASE_STATEMENT_TIMEOUT_SECONDS", 15)
    tcp = max(3, _seconds(settings, "DATABASE_TCP_TIMEOUT_SECONDS", 10))
    args: dict[str, Any] = {
        "connect_timeout": connect,
        "keepalives": 1, "keepalives_idle": max(1, tcp - 6), "keepalives_interval": 2, "keepalives_count": 3,
        "tcp_user_timeout": tcp * 1000,
    }
    if statement > 0:
        args["options"] = f"-c statement_timeout={statement * 1000}"
    return args


@event.listens_for(Pool, "connect")
def _mark_fresh(dbapi_connection, connection_record) -> None:
    connection_record.info[FRESH] = True


@event.listens_for(Pool, "checkout")
def _ping_within_a_round_trip(dbapi_connection, connection_record, connection_proxy) -> None:
    """A pooled PostgreSQL connection proves alive before a request uses it — as
    `pool_pre_ping` does, but within `ROUND_TRIP_SECONDS`.

    The server (or a proxy in front of it) may have gone silent while the connection sat
    in the pool: TCP still acknowledges, nothing answers, and a plain ping would wait
    for ever. Past the limit the whole pool is given up (`DisconnectionError`): the
    request's fresh connection then fails within its connect timeout, and the
    database-down page answers (503). A connection just made needs no ping.
    """
    if connection_record.info.pop(FRESH, False) or not isinstance(dbapi_connection, psycopg.Connection):
        return
    try:
        dbapi_connection.pgconn.send_query(b"SELECT 1")
        result = last_result_within(dbapi_connection.pgconn, ROUND_TRIP_SECONDS)
    except (psycopg.Error, OSError, TimeoutError) as error:
        raise InvalidatePoolError(f"ping failed: {error}") from error
    if result.status != psycopg.pq.ExecStatus.TUPLES_OK:
        raise DisconnectionError("ping failed")


def last_result_within(pgconn, seconds: float):
    """The last result of the statement just sent on `pgconn` (libpq's `send_*`), waiting
    at most `seconds` for the server: TimeoutError past them. libpq's own blocking calls
    wait for ever on a server that has gone silent."""
    deadline = time.monotonic() + seconds
    while pgconn.flush():  # 1: more to send
        _wait(pgconn.socket, deadline, write=True)
    last = None
    while True:
        pgconn.consume_input()
        if pgconn.is_busy():
            _wait(pgconn.socket, deadline)
            continue
        result = pgconn.get_result()
        if result is None:
            return last
        last = result


def next_result_by(pgconn, deadline: float):
    """libpq's next result (`get_result`), waiting for the server until `deadline`
    (`time.monotonic()`): TimeoutError past it. For pipelines, read result by result."""
    while pgconn.flush():  # 1: more to send
        _wait(pgconn.socket, deadline, write=True)
    while True:
        pgconn.consume_input()
        if not pgconn.is_busy():
            return pgconn.get_result()
        _wait(pgconn.socket, deadline)


def _wait(fileno: int, deadline: float, write: bool = False) -> None:
    remaining = deadline - time.monotonic()
    poller = select.poll()  # no FD_SETSIZE limit, unlike select.select
    poller.register(fileno, select.POLLOUT if write else select.POLLIN)
    if remaining <= 0 or not poller.poll(remaining * 1000):
        raise TimeoutError("the database did not answer in time")


def _seconds(settings: Mapping[str, Any] | None, name: str, default: int) -> int:
    return int((settings or {}).get(name, default))


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA journal_mode")
    if cursor.fetchone()[0] not in ("memory",):
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn) -> None:
    if conn.dialect.name != "sqlite" or conn._is_autocommit_isolation():
        return
    if conn.get_execution_options().get(IMMEDIATE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def insert_ignoring_conflicts(session, model, values: dict) -> None:
    """INSERT … ON CONFLICT DO NOTHING in the session's transaction (two writers meeting one
    unique value both succeed), in the engine's own dialect."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(model).values(**values).on_conflict_do_nothing())


def for_engine(bind, *, postgresql, sqlite):
    """Of two engine-specific variants (a class, a function), the one for `bind`'s engine:
    how code outside the slots stores speaks each engine's SQL without branching on it
    (the reports' wall clock and booked minutes)."""
    return postgresql if bind.dialect.name == "postgresql" else sqlite


def serves_many_hosts(engine) -> bool:
    """A database server that processes on several hosts reach (PostgreSQL), not a file."""
    return engine.dialect.name != "sqlite"


def has_roles(engine) -> bool:
    """Whether the engine has database roles and grants (PostgreSQL; SQLite has none)."""
    return engine.dialect.name == "postgresql"


def write_lock(session) -> None:
    """Start the session's transaction holding the write lock.

    PostgreSQL: nothing to do (callers lock rows with `FOR UPDATE` or conditional
    UPDATEs). SQLite: the open read transaction, if any, is ended and a new one
    begins with `BEGIN IMMEDIATE`, so check-then-write runs serialised.
    """
    if isinstance(session, scoped_session):
        session = session()  # the request's actual Session
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("write_lock() must be called before the use-case changes anything")
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options={IMMEDIATE: True})


def for_update(statement: Select) -> Select:
    """`statement` locking its rows (`SELECT … FOR UPDATE` on PostgreSQL), whose
    objects are refreshed from the locked rows.

    Without the refresh, an object the session had already loaded (the page read the
    bookings before the service locked them) keeps its old values: the lock waits for
    the other transaction, then hands back the stale object, and a status re-checked
    "under the lock" is the one read before it (issue 22: two bulk cancels both
    succeeded). SQLite needs no lock here (`use_case(lock=True)` serialises writers and
    starts a new transaction) and ignores the clause.
    """
    return statement.with_for_update().execution_options(populate_existing=True)


def fresh_snapshot(session) -> None:
    """End the session's read transaction so the next statement sees every commit so far.

    For readers only (SQLite WAL keeps one snapshot per transaction): it refuses to
    run with pending changes, which belong in a `use_case`.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("fresh_snapshot() would commit pending changes; use use_case()")
    session.commit()


@contextmanager
def use_case(session, *, lock: bool = False,
             on_stale: Callable[[], Refused] | None = None,
             on_conflict: Callable[[IntegrityError], Refused] | None = None) -> Iterator[Any]:
    """The one transaction shape of every committing service.

    ::

        with use_case(session, lock=True):
            row = ...            # read, check, raise Refused(...) to refuse
            session.add(...)     # the change and its log row
        # committed here; any exception rolled everything back

    - `lock=True` takes the write lock first (`BEGIN IMMEDIATE` on SQLite; PostgreSQL
      relies on the use-case's row locks / conditional UPDATEs);
    - the block's work is committed once when the block ends;
    - any exception rolls back; a lost optimistic race (`StaleDataError`) becomes
      `on_stale()` or a plain `Stale`, and an `IntegrityError` becomes
      `on_conflict(error)` when given (both called after the rollback, so they may read).
    """
    if lock:
        write_lock(session)
    try:
        yield session
        session.commit()
    except StaleDataError:
        session.rollback()
        refusal = on_stale() if on_stale else Stale()
        if on_stale:
            session.rollback()  # end the read on_stale may have made
        raise refusal from None
    except IntegrityError as error:
        session.rollback()
        if on_conflict is None:
            raise
        raise on_conflict(error) from None
    except BaseException:
        session.rollback()
        raise
