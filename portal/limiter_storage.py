"""`memory+inline://`: limits' in-memory storage without its expiry thread.

The stock `memory://` storage starts a `threading.Timer(0.01)` whenever the previous one
has finished, i.e. under steady traffic a new thread every ~10 ms per process, only to
drop expired window entries. This subclass drops them inline instead, at most once a
second, from the call that would have started the thread. Limits are unchanged: the
moving window reads entry timestamps, expired or not; expiry only bounds memory.
It is the single-process default (`RATELIMIT_STORAGE_URI`); several workers or hosts
share `redis://…` (slots-api.md "Rate limiting").
"""
from __future__ import annotations

import time

from limits.storage import MemoryStorage

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
            self._MemoryStorage__expire_events()
