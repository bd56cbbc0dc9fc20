"""`memory+inline://` (portal/limiter_storage.py): the same moving window, no expiry thread."""
from __future__ import annotations

import threading
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


def test_a_moving_window_without_a_timer_thread(monkeypatch):
    from portal import limiter_storage

    storage = storage_from_string("memory+inline://")
    assert isinstance(storage, limiter_storage.InlineExpiryMemoryStorage)
    limiter = MovingWindowRateLimiter(storage)
    limit = parse("3 per 1 second")
    threads = threading.active_count()
    assert [limiter.hit(limit, "client-a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(limit, "client-b")
    assert threading.active_count() <= threads  # nothing was started to expire entries
    monkeypatch.setattr(limiter_storage, "EXPIRE_EVERY_SECONDS", 0.0)
    time.sleep(1.05)
    assert limiter.hit(limit, "client-a")  # the window moved on
    assert "client-b" not in storage.events  # expired entries were dropped inline
