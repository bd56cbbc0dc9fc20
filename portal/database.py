"""Engine set-up that makes SQLite behave like the production database where it can.

- `private.*` tables live in the main SQLite file (schema translate map).
- Foreign keys on, WAL journal, a busy timeout so concurrent writers queue.
- Transactions begin when the first statement runs, as `BEGIN` — or `BEGIN IMMEDIATE`
  when a service asks for a write lock up front (`write_lock()`), the SQLite
  counterpart of PostgreSQL's row locks for check-then-write use-cases.
"""
from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import scoped_session

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
