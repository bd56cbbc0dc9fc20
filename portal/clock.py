"""The one clock of the portal: `now()` is the current instant, aware, in UTC.

Callers look it up when they need it (`clock.now()`, never `from portal.clock import
now`), so a test travels in time with `monkeypatch.setattr(portal.clock, "now", ...)`.
The models' column defaults (`default=clock.now`) are bound when the models load: a
row is stamped with the real instant, as the server default would stamp it.
"""
from __future__ import annotations

from datetime import datetime, timezone

UTC = timezone.utc


def now() -> datetime:
    return datetime.now(UTC)
