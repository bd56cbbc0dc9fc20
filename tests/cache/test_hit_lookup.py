"""The hit's statement through libpq (`cache_reader.PREPARED`) reads what the same
statement reads through SQLAlchemy and psycopg's adapters, whatever the session's zone."""
from __future__ import annotations

import json
import uuid

import pytest

from portal.extensions import db
from portal.services import cache_reader
from portal.services.slot_cache import _instant
from tests.cache.salon import ask, build, hit
from tests.cache.test_freshness import _booking


def _same(fast: cache_reader.CacheRow, slow: cache_reader.CacheRow) -> None:
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
        params = cache_reader.key_params("postgresql", uuid.UUID(salon.sid), uuid.UUID(salon.vid), salon.day)
        cache_reader.close()
        cache_reader.connection(engine).exec_driver_sql(f"SET TimeZone = '{zone}'")
        fast = cache_reader.read(engine, params)
        with engine.connect() as conn:
            slow = cache_reader.lookup_in(conn, "postgresql", params)
        _same(fast, slow)
        assert all(isinstance(n, int) for n in (fast.stylist_now, fast.days_now, fast.day_generation))
        missing = cache_reader.read(engine, {**params, "day": salon.day.replace(year=salon.day.year + 1)})
        assert missing.entry is None and missing.computed_at is None and missing.stylist_now == fast.stylist_now
        cache_reader.close()
