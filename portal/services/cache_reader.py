"""The cache's hit path: one statement on a connection of its own, one round trip.

Each thread keeps one DBAPI connection, detached from the pool, in autocommit mode:
no pool checkout (and so no pre-ping), no BEGIN/COMMIT, no ORM session. psycopg
prepares the statement after a few executions. The statement is the same single
SELECT as `slot_cache.LOOKUP` (current generations + the entry), so it is one
snapshot; a failure closes the connection and the caller falls back to the session
path, which reports an unreachable database the usual way (503).
"""
from __future__ import annotations

import re
import threading

from portal.services import slot_cache

_local = threading.local()

SQL = {
    "postgresql": re.sub(r":(\w+)", r"%(\1)s", slot_cache.LOOKUP.format(p="private.")),
    "sqlite": slot_cache.LOOKUP.format(p=""),
}


def _connection(engine):
    held = getattr(_local, "held", None)
    if held is not None and held[0] is engine:
        return held[1]
    close()
    fairy = engine.raw_connection()
    fairy.detach()  # ours now: the pool neither counts nor recycles it
    if engine.dialect.name == "postgresql":
        fairy.dbapi_connection.autocommit = True
    _local.held = (engine, fairy.dbapi_connection, fairy)
    return fairy.dbapi_connection


def close() -> None:
    held = getattr(_local, "held", None)
    _local.held = None
    if held is not None:
        try:
            held[2].close()
        except Exception:  # already broken
            pass


def read(engine, params: dict):
    """The LOOKUP row (gen, global gen, slots, computed_at, expires_at, stored gens)."""
    conn = _connection(engine)
    try:
        cursor = conn.execute(SQL[engine.dialect.name], params)
        row = cursor.fetchone()
        cursor.close()
        return row
    except Exception:
        close()
        raise
