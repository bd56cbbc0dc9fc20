"""Database rows → the layering engine's values, in one place.

The effective-schedule pages, the stylist's budget checks, the slots loader and the
cache warmer all feed `portal.domain.schedule_layers` from the database; they build
its values here, from ORM objects or result rows alike (anything with the columns as
attributes), so the mapping and the price rule are written once.
"""
from __future__ import annotations

from typing import Any

from portal.domain.schedule_layers import BaseRow, OverrideRow


def base_row(row: Any, day_of_week: int | None = None) -> BaseRow:
    """A `stylist_schedules` row; `day_of_week` when the query did not select it."""
    return BaseRow(
        day_of_week=row.day_of_week if day_of_week is None else day_of_week,
        start=row.start_time_local, end=row.end_time_local,
        break_start=row.break_start_time_local, break_end=row.break_end_time_local,
        effective_from=row.effective_from, effective_until=row.effective_until,
        is_active=bool(getattr(row, "is_active", True)),
    )


def override_row(row: Any) -> OverrideRow:
    """A `schedule_overrides` row."""
    return OverrideRow(
        id=str(row.id), override_type=row.override_type,
        is_stylist_specific=not row.applies_to_all_stylists,
        start_date=row.start_date, end_date=row.end_date, is_closed=bool(row.is_closed),
        start=row.override_start_time, end=row.override_end_time, priority=row.priority,
        created_at=row.created_at, reason=row.reason,
    )


def price_cents(custom_price_cents: int | None, base_price_cents: int) -> int:
    """The stylist's own price for a service when set (0 is a price), else the service's."""
    return custom_price_cents if custom_price_cents is not None else base_price_cents


def duration_minutes(custom_duration_minutes: int | None, duration: int) -> int:
    """The stylist's own duration for a service when set, else the service's."""
    return custom_duration_minutes or duration
