"""The store on SQLite (portal/slots/store.py is the interface).

What differs from PostgreSQL: uuids, dates and instants are bound and read as text
(the `private` schema is the main file's, so no prefix); the hot statements run on the
sqlite3 cursor the connection keeps, in its own named style; there are no advisory
locks — concurrent misses on one key each compute (the single-machine case), and the
upsert keeps the entry with the newest generations.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import Sequence

from portal.models.types import SQLITE_TIMESTAMP_FORMAT as STAMP
from portal.slots.store import Held, Key, Row, Store, text_instant

UTC = timezone.utc



class SqliteStore(Store):
    @staticmethod
    def serves(engine) -> bool:
        return engine.dialect.name == "sqlite"

    def bind_id(self, value: uuid.UUID):
        return str(value)

    def bind_day(self, value: date):
        return value.isoformat()

    def bind_instant(self, value: datetime):
        return value.astimezone(UTC).strftime(STAMP)

    def read_day(self, value) -> date:
        return date.fromisoformat(value) if isinstance(value, str) else value

    def read_instant(self, value) -> datetime:
        return text_instant(value) if isinstance(value, str) else (value if value.tzinfo else value.replace(tzinfo=UTC))

    def lookup(self, key: Key) -> Row:
        values = self.key_values(key)
        names, rows = self._run(lambda held: self.hot_rows(held, "lookup", values))
        return self.row(dict(zip(names, rows[0])))

    def hot_rows(self, held: Held, name: str, values: dict) -> tuple[tuple[str, ...], list[Sequence]]:
        """On the connection's kept sqlite3 cursor (the statements' named style is sqlite3's)."""
        cursor = held.cursor
        cursor.execute(self.sql[name], values)
        rows = cursor.fetchall()
        return tuple(column[0] for column in cursor.description), rows
