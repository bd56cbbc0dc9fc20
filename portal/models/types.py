"""Column types and server defaults that mean the same on PostgreSQL and SQLite.

- `GUID`: native `uuid` on PostgreSQL, canonical 36-character text on SQLite.
- `UTCDateTime`: `timestamptz` on PostgreSQL; on SQLite UTC text
  `YYYY-MM-DD HH:MM:SS.ffffff` (so text order is time order). Always aware in Python.
- `JSONDoc`: `jsonb` on PostgreSQL, JSON text on SQLite.
- `new_uuid()`, `utc_now()`, `utc_now_plus()`: server-side defaults, so rows
  inserted by other clients with plain SQL get the same values the ORM would.
"""
from __future__ import annotations

import uuid
from datetime import datetime, time, timezone

from sqlalchemy import JSON, Boolean, DateTime, String, Time, TypeDecorator
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

# The one SQLite timestamp: Python writes it with SQLITE_TIMESTAMP_FORMAT, the server
# defaults with SQLITE_NOW_FORMAT (SQLite's %f is "SS.SSS": the same text, microseconds 000).
SQLITE_TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
SQLITE_NOW_FORMAT = "%Y-%m-%d %H:%M:%f000"


class GUID(TypeDecorator):
    """A UUID, as `uuid.UUID` in Python."""

    impl = String(36)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.UUID(as_uuid=True))
        return dialect.type_descriptor(String(36))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, uuid.UUID):
            value = uuid.UUID(str(value))
        return value if dialect.name == "postgresql" else str(value)

    def process_result_value(self, value, dialect):
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(str(value))


class UTCDateTime(TypeDecorator):
    """An aware UTC instant; naive input is refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(26))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a timestamptz column")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.strftime(SQLITE_TIMESTAMP_FORMAT)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


JSONDoc = JSON().with_variant(postgresql.JSONB(), "postgresql")


class new_uuid(FunctionElement):
    """Server default: a random (version 4) UUID."""

    type = GUID()
    inherit_cache = True


@compiles(new_uuid, "postgresql")
def _new_uuid_pg(element, compiler, **kw):
    return "gen_random_uuid()"


@compiles(new_uuid, "sqlite")
def _new_uuid_sqlite(element, compiler, **kw):
    return (
        "(lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
        "substr(hex(randomblob(2)), 2) || '-' || "
        "substr('89ab', 1 + (abs(random()) % 4), 1) || "
        "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))))"
    )


class utc_now(FunctionElement):
    """Server default: the current instant."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(utc_now, "postgresql")
def _utc_now_pg(element, compiler, **kw):
    return "now()"


@compiles(utc_now, "sqlite")
def _utc_now_sqlite(element, compiler, **kw):
    return f"(strftime('{SQLITE_NOW_FORMAT}', 'now'))"


class utc_now_plus_minutes(FunctionElement):
    """Server default: the current instant plus a fixed number of minutes."""

    type = UTCDateTime()
    inherit_cache = True

    def __init__(self, minutes: int):
        self.minutes = int(minutes)
        super().__init__()


@compiles(utc_now_plus_minutes, "postgresql")
def _plus_pg(element, compiler, **kw):
    return f"(now() + interval '{element.minutes} minutes')"


@compiles(utc_now_plus_minutes, "sqlite")
def _plus_sqlite(element, compiler, **kw):
    return f"(strftime('{SQLITE_NOW_FORMAT}', 'now', '+{element.minutes} minutes'))"


class current_day(FunctionElement):
    """Server default: today's date (UTC on SQLite, the session zone on PostgreSQL)."""

    inherit_cache = True


@compiles(current_day, "postgresql")
def _current_day_pg(element, compiler, **kw):
    return "CURRENT_DATE"


@compiles(current_day, "sqlite")
def _current_day_sqlite(element, compiler, **kw):
    return "(date('now'))"


class next_month_start(FunctionElement):
    """Server default: midnight UTC of the next first-of-month.

    Only a fallback for rows inserted without the value: the budget trigger writes
    the stylist's own local midnight (on PostgreSQL), and the budget service moves
    `budget_reset_at` to the stylist's local boundary whenever it renews.
    """

    type = UTCDateTime()
    inherit_cache = True


@compiles(next_month_start, "postgresql")
def _next_month_pg(element, compiler, **kw):
    return "(date_trunc('month', now() + interval '1 month'))"


@compiles(next_month_start, "sqlite")
def _next_month_sqlite(element, compiler, **kw):
    return f"(strftime('{SQLITE_NOW_FORMAT}', 'now', 'start of month', '+1 month'))"


class LocalTime(TypeDecorator):
    """A wall-clock time: `time` on PostgreSQL, `HH:MM:SS` text on SQLite.

    Reading accepts `HH:MM` as well, as a hand-written row might have it.
    """

    impl = Time()
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(15))
        return dialect.type_descriptor(Time())

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name != "sqlite":
            return value
        if isinstance(value, str):
            value = time.fromisoformat(value)
        return value.strftime("%H:%M:%S")

    def process_result_value(self, value, dialect):
        if value is None or isinstance(value, time):
            return value
        return time.fromisoformat(str(value))


class LongerThanADay(ColumnElement):
    """`end_time - start_time > 24 hours` in the words of each engine's partial "long"
    index (models/bookings.py), so the slots loader's query matches the index predicate."""

    type = Boolean()
    inherit_cache = True


@compiles(LongerThanADay, "postgresql")
def _longer_than_a_day_pg(element, compiler, **kw):
    return "end_time - start_time > interval '24 hours'"


@compiles(LongerThanADay, "sqlite")
def _longer_than_a_day_sqlite(element, compiler, **kw):
    return "julianday(end_time) - julianday(start_time) > 1"


def ranges_overlap_sql(dialect_name: str, a: str = "a", b: str = "b") -> str:
    """Rows `a` and `b`'s [start_time, end_time) overlap, as SQL text in the engine's words
    (the no-overlap rule's listing of existing conflicts, models/booking_rules.py)."""
    if dialect_name == "postgresql":
        return f"tstzrange({a}.start_time, {a}.end_time) && tstzrange({b}.start_time, {b}.end_time)"
    return (f"julianday({a}.start_time) < julianday({b}.end_time) "
            f"AND julianday({b}.start_time) < julianday({a}.end_time)")
