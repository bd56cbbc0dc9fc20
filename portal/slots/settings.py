"""The slots package's settings: one frozen value, built once by `create_app` from the
configuration (operations.md) and passed to every call of the façade."""
from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any, Mapping

from portal import clock
from portal.slots.store import Store
from portal.slots.store_postgres import PostgresStore
from portal.slots.store_sqlite import SqliteStore

STORES = (PostgresStore, SqliteStore)  # the first that serves the engine


@dataclass(frozen=True)
class SlotSettings:
    interval_minutes: int  # SLOT_INTERVAL_MINUTES
    ttl_seconds: int  # AVAILABILITY_CACHE_TTL_SECONDS (bounds storage only)
    enabled: bool  # AVAILABILITY_CACHE_ENABLED
    refresh_siblings: bool  # AVAILABILITY_CACHE_REFRESH_SIBLINGS: a miss also plans the date's other services
    store: Store
    clock: ModuleType = clock  # `settings.clock.now()`, looked up per call (tests monkeypatch `portal.clock.now`)


def open_store(engine) -> Store:
    """The store implementation for `engine`, chosen once."""
    return next(kind for kind in STORES if kind.serves(engine))(engine)


def from_config(config: Mapping[str, Any], engine) -> SlotSettings:
    return SlotSettings(
        interval_minutes=int(config["SLOT_INTERVAL_MINUTES"]),
        ttl_seconds=int(config["AVAILABILITY_CACHE_TTL_SECONDS"]),
        enabled=bool(config["AVAILABILITY_CACHE_ENABLED"]),
        refresh_siblings=bool(config["AVAILABILITY_CACHE_REFRESH_SIBLINGS"]),
        store=open_store(engine),
    )
