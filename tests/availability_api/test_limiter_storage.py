"""`memory+inline://` (portal/limiter_storage.py): the same moving window, no expiry thread, a hit's cost
independent of the key's traffic."""
from __future__ import annotations

import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st
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


def test_a_busy_key_keeps_at_most_limit_entries():
    storage = storage_from_string("memory+inline://")
    limiter = MovingWindowRateLimiter(storage)
    limit = parse("5 per 10 seconds")
    assert [limiter.hit(limit, "busy") for _ in range(8)] == [True] * 5 + [False] * 3
    assert len(storage.events[next(iter(storage.events))]) == 5  # refused hits add nothing, older ones go
    big = parse("1000000 per 10 seconds")
    for _ in range(2000):
        assert limiter.hit(big, "one-client")
    assert limiter.get_window_stats(big, "one-client").remaining == 1000000 - 2000


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(st.tuples(st.floats(0, 4), st.sampled_from(["a", "b"]), st.integers(1, 3)), max_size=60),
       amount=st.sampled_from(["3 per 5 seconds", "1 per 2 seconds", "4 per 10 seconds"]))
def test_the_same_decisions_as_the_stock_memory_storage(steps, amount):
    """Hypothesis: random hits (time moving on by 0–4 s, two clients, costs 1–3) get the
    same answers and window stats from `memory+inline://` as from limits' `memory://`."""
    from limits.storage import MemoryStorage

    from portal import limiter_storage

    clock = [1_000_000.0]
    real_time = time.time
    time.time = lambda: clock[0]
    try:
        ours = limiter_storage.InlineExpiryMemoryStorage()
        stock = MemoryStorage()
        stock.timer.cancel()
        a, b = MovingWindowRateLimiter(ours), MovingWindowRateLimiter(stock)
        limit = parse(amount)
        for advance, client, cost in steps:
            clock[0] += advance
            assert a.hit(limit, client, cost=cost) == b.hit(limit, client, cost=cost)
            assert a.get_window_stats(limit, client) == b.get_window_stats(limit, client)
            assert a.test(limit, client) == b.test(limit, client)
    finally:
        time.time = real_time
