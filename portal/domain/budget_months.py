"""Calendar months of the override budget, in the stylist's own zone (pure, stdlib only)."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc


def month_start(year: int, month: int, zone: ZoneInfo) -> datetime:
    """Midnight of the first of (year, month) in `zone`, as a UTC instant."""
    return datetime(year, month, 1, tzinfo=zone).astimezone(UTC)


def next_month_start(instant: datetime, zone: ZoneInfo) -> datetime:
    """The first first-of-month local midnight strictly after `instant`."""
    local = instant.astimezone(zone)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return month_start(year, month, zone)


def renewal_instant(reset_at: datetime, zone: ZoneInfo) -> datetime:
    """The local month boundary `budget_reset_at` stands for: the nearest one.

    Rows written on SQLite carry the column default (midnight UTC, as SQLite has
    no zone data); this reads it as the stylist's own local midnight of that first.
    A row already on a local boundary maps to itself.
    """
    local = reset_at.astimezone(zone)
    here = month_start(local.year, local.month, zone)
    after = next_month_start(here, zone)
    return here if reset_at - here <= after - reset_at else after
