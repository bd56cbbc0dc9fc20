"""`memory+inline://`: limits' in-memory storage, with a moving window that costs the
same whatever a client's traffic, and no expiry thread.

The stock `memory://` storage

- starts a `threading.Timer(0.01)` whenever the previous one has finished, i.e. under
  steady traffic a new thread every ~10 ms per process, only to drop expired entries
  (one `list.remove` each: quadratic in a busy key's entries);
- keeps a key's moving-window entries newest first and inserts each hit at the front
  of the list, so one hit costs time proportional to the hits still in the window.

This subclass keeps them oldest first (a hit appends; the entry that decides is
`events[-(limit - amount + 1)]`, the same one the stock storage reads at
`[limit - amount]`), keeps at most `limit` of them (older ones are never read again),
and drops the expired prefix inline, at most once a second, from the call that would
have started the thread. Decisions are the stock storage's (tested side by side).
It is the single-process default (`RATELIMIT_STORAGE_URI`); several workers or hosts
share `redis://…` (slots-api.md "Rate limiting").
"""
from __future__ import annotations

import time
from bisect import bisect_left, bisect_right

from limits.storage import MemoryStorage
from limits.storage.memory import Entry

EXPIRE_EVERY_SECONDS = 1.0


class InlineExpiryMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["memory+inline"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_expiry = 0.0

    # MemoryStorage calls `self.__schedule_expiry()` (name-mangled to this) on every write.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_expiry:
            self._next_expiry = now + EXPIRE_EVERY_SECONDS
            self._expire()

    def _expire(self) -> None:
        now = time.time()
        for key in list(self.events):
            with self.locks[key]:
                events = self.events.get(key, [])
                del events[:bisect_right(events, now, key=_expiry)]
                if not events:
                    self.events.pop(key, None)
                    self.locks.pop(key, None)
        for key in list(self.expirations):
            if self.expirations.get(key, now + 1) <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
                self.locks.pop(key, None)

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        self._MemoryStorage__schedule_expiry()
        with self.locks[key]:
            events = self.events.setdefault(key, [])
            deciding = limit - amount + 1  # the deciding entry, counted from the newest
            if len(events) >= deciding and events[-deciding].atime >= time.time() - expiry:
                return False
            events.extend(Entry(expiry) for _ in range(amount))
            if len(events) > limit:
                del events[:len(events) - limit]
            return True

    def get_num_acquired(self, key: str, expiry: int) -> int:
        events = self.events.get(key) or []
        return len(events) - bisect_left(events, time.time() - expiry, key=_atime)

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        events = self.events.get(key) or []
        first = bisect_left(events, now - expiry, key=_atime)
        if first < len(events):
            return events[first].atime, len(events) - first
        return now, 0


def _atime(entry: Entry) -> float:
    return entry.atime


def _expiry(entry: Entry) -> float:
    return entry.expiry
