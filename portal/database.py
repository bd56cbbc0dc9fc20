"""Engine set-up that makes SQLite behave like the production database where it can.

- `private.*` tables live in the main SQLite file (schema translate map).
- Foreign keys on, WAL journal, a busy timeout so concurrent writers queue.
- Transactions begin when the first statement runs, as `BEGIN` — or `BEGIN IMMEDIATE`
  when a service asks for a write lock up front (`write_lock()`), the SQLite
  counterpart of PostgreSQL's row locks for check-then-write use-cases.
- `use_case()`: the one transaction shape of every committing service;
  `fresh_snapshot()`: a reader's way to see the latest commits (commits nothing).
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import scoped_session
from sqlalchemy.orm.exc import StaleDataError

from portal.domain.refusals import Refused, Stale

SQLITE_SCHEMA_MAP = {"private": None}
IMMEDIATE = "sqlite_begin_immediate"


def engine_options(database_uri: str) -> dict[str, Any]:
    """Per-dialect engine options for Flask-SQLAlchemy."""
    if database_uri.startswith("sqlite"):
        return {
            "execution_options": {"schema_translate_map": SQLITE_SCHEMA_MAP},
            "connect_args": {"timeout": 30, "check_same_thread": False},
        }
    return {"pool_pre_ping": True}


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
