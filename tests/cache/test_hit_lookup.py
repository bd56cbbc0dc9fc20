"""The hit's statement through libpq (`PostgresStore.lookup`) reads what the same
statement reads through SQLAlchemy and psycopg's adapters, whatever the session's zone."""
from __future__ import annotations

import json
import uuid

import pytest

from sqlalchemy import text

from portal.extensions import db
from portal.slots.store import Key, Row
from tests.cache.salon import ask, build, hit
from tests.cache.test_freshness import _booking


def _instant(value):
    return value


def _same(fast: Row, slow: Row) -> None:
    assert (fast.stylist_now, fast.global_now, fast.days_now) == (slow.stylist_now, slow.global_now, slow.days_now)
    assert (fast.stylist_generation, fast.global_generation, fast.day_generation) == (
        slow.stylist_generation, slow.global_generation, slow.day_generation)
    assert _instant(fast.computed_at) == _instant(slow.computed_at)
    assert _instant(fast.expires_at) == _instant(slow.expires_at)
    assert json.loads(fast.entry) == json.loads(slow.entry)


@pytest.mark.postgresql_only
@pytest.mark.parametrize("zone", ["UTC", "Asia/Kathmandu", "America/St_Johns"])
def test_the_prepared_lookup_reads_what_the_adapters_read(app, client, factory, raw, engine_name, zone):
    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(10))  # the day's counters exist (a sum, not NULL)
    ask(client, salon)  # a miss stores the entry
    assert hit(ask(client, salon))
    with app.app_context():
        engine = db.engine
        store = app.extensions["slots"].store
        key = Key(uuid.UUID(salon.sid), uuid.UUID(salon.vid), salon.day)
        store.close()
        store.reader().exec_driver_sql(f"SET TimeZone = '{zone}'")
        fast = store.lookup(key)
        with engine.connect() as conn:  # the same statement through SQLAlchemy and psycopg's adapters
            slow = store.row(conn.execute(text(store.sql["lookup"]), store.key_values(key)).one()._mapping)
        _same(fast, slow)
        assert all(isinstance(n, int) for n in (fast.stylist_now, fast.days_now, fast.day_generation))
        missing = store.lookup(key._replace(day=salon.day.replace(year=salon.day.year + 1)))
        assert missing.entry is None and missing.computed_at is None and missing.stylist_now == fast.stylist_now
        store.close()
