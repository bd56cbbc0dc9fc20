"""A date range's cache entries for the days endpoint, read in one statement
(`cache_reader.STATEMENTS["days"]`) on the hit path's connection or in the session.

What a range read gives is its `identity` — every row as read, without the entry — and
its entries by date, made only when asked for. Two reads with the same identity saw the
same entries (same dates, counters they were computed under, instants) under the same
current counters, so an answer made from the first is right for the second as far as
the cache is concerned; `slot_days.days_answer` reuses it then, without converting a row.
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Sequence

from sqlalchemy import text

from portal.services import cache_reader
from portal.services.cache_reader import CacheRow, bind_day

ENTRY = 4  # the entry's column in a range row (the date first, then CacheRow's fields)


class RangeRead:
    def __init__(self, rows: list[Sequence], row_of: Callable[[Sequence], CacheRow]):
        self.rows = rows
        self.row_of = row_of
        self.identity = tuple((*row[:ENTRY], *row[ENTRY + 1:]) for row in rows)
        self._entries: dict[date, CacheRow] | None = None

    @property
    def entries(self) -> dict[date, CacheRow]:
        if self._entries is None:
            self._entries = {cache_reader.as_date(row[0]): self.row_of(row[1:]) for row in self.rows}
        return self._entries


def read_range(engine, params: dict, first: date, last: date) -> RangeRead:
    """The range's statement in one round trip on this thread's own autocommit connection."""
    dialect = engine.dialect.name
    values = {**params, "first": bind_day(dialect, first), "last": bind_day(dialect, last)}
    return RangeRead(cache_reader.hit_rows(engine, "days", values), cache_reader.row_of(dialect))


def entries_in(conn, dialect: str, params: dict, first: date, last: date) -> RangeRead:
    """The range's statement on a SQLAlchemy connection (the session's transaction)."""
    rows = conn.execute(text(cache_reader.STATEMENTS["days"][dialect]),
                        {**params, "first": bind_day(dialect, first), "last": bind_day(dialect, last)})
    return RangeRead([tuple(r) for r in rows], CacheRow._make)
