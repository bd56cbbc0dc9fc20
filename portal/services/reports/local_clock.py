"""An instant column read on the salon's wall clock, in SQL — the reports' only
engine-specific expressions, so the counting (GROUP BY salon date, weekday, hour) is
done by the database on both engines.

- PostgreSQL: `timezone(zone, column)`, the zone's rules from the server's tz database;
- SQLite: instants are UTC text (`YYYY-MM-DD HH:MM:SS.ffffff`, portal/models/types.py),
  so the clock is `datetime(column, '+N minutes')` with the zone's offset; a zone
  whose offset changes inside the period (DST) gets one `CASE` branch per offset,
  the change instants found with `zoneinfo` (Asia/Kathmandu has none since 1986).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import case, func
from sqlalchemy.sql.elements import ColumnElement

from portal.database import for_engine


@dataclass(frozen=True)
class LocalClock:
    """An instant column on `zone`'s clock: `stamp` (the local date and time) and `hour`
    (the engine's variant: `local_clock`)."""

    zone: str
    lo: datetime  # the instants the query can meet: the offsets are looked up in [lo, hi]
    hi: datetime

    def stamp(self, column) -> ColumnElement:
        raise NotImplementedError

    def hour(self, column) -> ColumnElement:
        """The start of the local hour the instant falls in (`2026-11-17 10:00`), as a timestamp (or text on SQLite)."""
        raise NotImplementedError


def local_clock(session, zone: str, lo: datetime, hi: datetime) -> LocalClock:
    return for_engine(session.get_bind(), postgresql=PostgresClock, sqlite=SqliteClock)(zone, lo, hi)


class PostgresClock(LocalClock):
    def stamp(self, column) -> ColumnElement:
        return func.timezone(self.zone, column)

    def hour(self, column) -> ColumnElement:
        return func.date_trunc("hour", self.stamp(column))


class SqliteClock(LocalClock):
    def stamp(self, column) -> ColumnElement:
        changes = offset_changes(self.zone, self.lo, self.hi)
        first_offset = changes[0][1]
        if len(changes) == 1:
            return func.datetime(column, _shift(first_offset))
        whens = [(column < at, func.datetime(column, _shift(before)))
                 for (at, _), (_, before) in zip(changes[1:], changes[:-1])]
        return case(*whens, else_=func.datetime(column, _shift(changes[-1][1])))

    def hour(self, column) -> ColumnElement:
        return func.strftime("%Y-%m-%d %H:00:00", self.stamp(column))


def as_hour(value) -> datetime:
    """An `hour` column's value as a naive local datetime (SQLite answers text)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _shift(offset_minutes: int) -> str:
    return f"{offset_minutes:+d} minutes"


def _offset(zone: ZoneInfo, at: datetime) -> int:
    return int(at.astimezone(zone).utcoffset().total_seconds() // 60)


def offset_changes(zone_name: str, lo: datetime, hi: datetime) -> list[tuple[datetime, int]]:
    """[(from instant, offset in minutes)] covering [lo, hi]: the first from `lo`, then one
    per change of the zone's UTC offset (found hourly, then to the second by halving)."""
    zone = ZoneInfo(zone_name)
    lo, hi = lo.astimezone(timezone.utc), hi.astimezone(timezone.utc)
    found = [(lo, _offset(zone, lo))]
    at = lo
    while at < hi:
        step = min(at + timedelta(hours=1), hi)
        if _offset(zone, step) != found[-1][1]:
            a, b = at, step  # offset(a) is the old one, offset(b) the new one
            while b - a > timedelta(seconds=1):
                middle = a + (b - a) / 2
                a, b = (middle, b) if _offset(zone, middle) == found[-1][1] else (a, middle)
            found.append((b.replace(microsecond=0), _offset(zone, step)))
        at = step
    return found
