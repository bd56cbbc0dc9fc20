"""Counting in the limiter's storage, with a per-process fallback (security.md).

Two uses, both through Flask-Limiter's storage and strategy (`limiter.storage`,
`limiter.limiter`), never a counter of our own in the database:

- `hit(limit, *key)`: one atomic attempt against a limit (the moving window of the
  configured strategy). Sign-in calls it *before* checking a password, so N
  simultaneous guesses are checked at most `LOGIN_RATE_LIMIT` times whatever the
  worker or thread model.
- `sample(action, client, overall)`: whether a security event an anonymous client can
  cause gets a row now — at most one per (event, client network) per minute (an IPv6
  address counts by its /64: `portal.network.client_network`), and at most `overall`
  rows per event and minute from all networks together; the one event past that
  becomes a summary row, the rest are counted. Events left out are reported on the
  next row: `repeats` (this network's), `left_out` (the overall cap's).

- `count(key, seconds)` / `counted(key)`: a plain counter over a fixed window that
  starts with its first count (the per-account ceiling, `portal.auth.account_ceiling`).

If the storage cannot be reached, all fall back to a `memory://` storage of this
process (never unlimited) and the app's `on_storage_down` callback runs (it records
a `limiter_storage_down` security event: `portal.api.rate_limit`), at most once a
minute per process.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from typing import Callable

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES

from portal.extensions import limiter

STATE_KEY = "portal_throttle"
SAMPLE_SECONDS = 60
REPEATS_KEEP_SECONDS = 24 * 3600
STORAGE_DOWN_EVERY_SECONDS = 60.0
PREFIX = "kbportal"


def prefix() -> str:
    """`kbportal`, or `kbportal:<RATELIMIT_KEY_PREFIX>` when set: two portals (or two
    test runs) sharing one Redis keep their counters apart."""
    own = current_app.config.get("RATELIMIT_KEY_PREFIX")
    return f"{PREFIX}:{own}" if own else PREFIX
logger = logging.getLogger(__name__)


class Throttle:
    """Per-app: the fallback storage and when the outage was last recorded."""

    def __init__(self, strategy: str, on_storage_down: Callable[[], None] | None = None) -> None:
        self.on_storage_down = on_storage_down
        self.fallback_storage = MemoryStorage()
        self.fallback = STRATEGIES[strategy](self.fallback_storage)
        self.lock = threading.Lock()
        self.storage_down_logged: float | None = None

    def storage_failed(self, error: Exception) -> None:
        """Record the outage (at most once a minute in this process)."""
        now = time.monotonic()
        with self.lock:
            if self.storage_down_logged is not None and now - self.storage_down_logged < STORAGE_DOWN_EVERY_SECONDS:
                return
            self.storage_down_logged = now
        logger.error("rate limit storage unreachable (%s): counting in this process only", error)
        if self.on_storage_down is not None:
            self.on_storage_down()


def init_app(app: Flask, on_storage_down: Callable[[], None] | None = None) -> None:
    """`on_storage_down()`: called (inside the request) when the outage is to be recorded."""
    app.extensions[STATE_KEY] = Throttle(str(app.config.get("RATELIMIT_STRATEGY", "moving-window")), on_storage_down)


def state() -> Throttle:
    throttle = current_app.extensions.get(STATE_KEY)
    if throttle is None:
        init_app(current_app)
        throttle = current_app.extensions[STATE_KEY]
    return throttle


def limit_item(text: str) -> RateLimitItem:
    return parse(text)


def hit(limit: RateLimitItem, *key: str) -> bool:
    """One attempt against `limit` for `key`; False when the limit is exhausted."""
    if not limiter.enabled:
        return True
    try:
        return limiter.limiter.hit(limit, prefix(), *key)
    except Exception as error:  # the shared storage is down: count in this process
        throttle = state()
        throttle.storage_failed(error)
        return throttle.fallback.hit(limit, prefix(), *key)


def _storages():
    storages = [state().fallback_storage]
    if limiter.enabled:
        storages.insert(0, limiter.storage)
    return storages


def _in_storage(use: Callable):
    """`use(storage)` on the shared storage, or on this process's when it is down."""
    for storage in _storages():
        try:
            return use(storage)
        except Exception as error:
            if storage is state().fallback_storage:
                raise
            state().storage_failed(error)
    raise AssertionError("unreachable")  # pragma: no cover - the fallback storage does not fail


def count(key: str, seconds: int) -> int:
    """One more on the counter `key` (its window of `seconds` starts with the first); the new value."""
    return _in_storage(lambda storage: storage.incr(f"{prefix()}:{key}", seconds))


def counted(key: str) -> tuple[int, int]:
    """(the counter's value, whole seconds until its window ends)."""
    def read(storage):
        full = f"{prefix()}:{key}"
        value = storage.get(full)
        return value, max(0, math.ceil(storage.get_expiry(full) - time.time())) if value else 0
    return _in_storage(read)


SUMMARY = "summary"  # `sample` answers this for the one event past the overall cap


def sample(action: str, client: str, overall: int) -> dict | str | None:
    """None: leave this event out (it is counted); `SUMMARY`: write the minute's summary
    row; a dict: write a row now, with these counts of events left out before it."""
    return _in_storage(lambda storage: _sample(storage, action, client, overall))


def _sample(storage, action: str, client: str, overall: int) -> dict | str | None:
    keys = prefix()
    repeats = f"{keys}:repeats:{action}:{client}"
    left_out = f"{keys}:left-out:{action}"
    if storage.incr(f"{keys}:sample:{action}:{client}", SAMPLE_SECONDS) > 1:
        storage.incr(repeats, REPEATS_KEEP_SECONDS)
        return None
    rows = storage.incr(f"{keys}:sample-all:{action}", SAMPLE_SECONDS)
    if rows > overall:
        if rows == overall + 1:
            return SUMMARY
        storage.incr(left_out, REPEATS_KEEP_SECONDS)
        return None
    counts = {}
    for name, key in (("repeats", repeats), ("left_out", left_out)):
        missed = storage.get(key)
        if missed:
            storage.incr(key, REPEATS_KEEP_SECONDS, amount=-missed)
            counts[name] = missed
    return counts
