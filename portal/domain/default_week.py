"""The weekly schedule proposed for a new stylist: Nepal's week, Saturday off.

Days are numbered from Sunday = 0 (as `stylist_schedules.day_of_week`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time

WEEKLY_DAY_OFF = 6  # Saturday: Nepal's weekly day off


@dataclass(frozen=True)
class WeekDay:
    day_of_week: int
    start: time
    end: time
    break_start: time | None
    break_end: time | None


def proposed_week(start: time = time(10, 0), end: time = time(18, 0),
                  break_start: time | None = time(13, 0), break_end: time | None = time(14, 0)) -> list[WeekDay]:
    """Sunday to Friday with the given hours and break; Saturday off."""
    return [WeekDay(day, start, end, break_start, break_end) for day in range(7) if day != WEEKLY_DAY_OFF]
