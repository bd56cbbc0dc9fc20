"""Schedule layering for one date (availability.md §3).

Pure Python: which weekly base row applies on a date, which schedule override
wins there (and which it beat), and the resulting local working window.
Times here are wall-clock times in the stylist's zone; turning them into
instants is the job of :mod:`portal.domain.availability`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Iterable

from portal.domain.override_kinds import OVERRIDE_TYPES as _KINDS

__all__ = [
    "BaseRow",
    "OverrideRow",
    "DayWindow",
    "OVERRIDE_TYPES",
    "VERDICTS",
    "weekday_sunday0",
    "base_row_for",
    "override_rank_key",
    "resolve_overrides",
    "day_window",
    "hours_errors",
]

OVERRIDE_TYPES = frozenset(_KINDS)
VERDICTS = ("override", "base schedule", "day off", "closed")


@dataclass(frozen=True)
class BaseRow:
    """One ``stylist_schedules`` row (wall-clock times in the stylist's zone)."""

    day_of_week: int  # 0 = Sunday ... 6 = Saturday
    start: time
    end: time
    break_start: time | None = None
    break_end: time | None = None
    effective_from: date = date.min
    effective_until: date | None = None
    is_active: bool = True

    def applies_on(self, day: date) -> bool:
        return (
            self.is_active
            and self.day_of_week == weekday_sunday0(day)
            and self.effective_from <= day
            and (self.effective_until is None or self.effective_until >= day)
        )

    @property
    def break_(self) -> tuple[time, time] | None:
        if self.break_start is None or self.break_end is None:
            return None
        return (self.break_start, self.break_end)


@dataclass(frozen=True)
class OverrideRow:
    """One ``schedule_overrides`` row, already filtered to this stylist's scope
    (its own rows plus the business-wide ones)."""

    id: str
    override_type: str  # business_closure | stylist_vacation | seasonal_hours | special_event
    is_stylist_specific: bool
    start_date: date
    end_date: date
    is_closed: bool
    start: time | None
    end: time | None
    priority: int
    created_at: datetime  # aware
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise ValueError("OverrideRow.created_at must be timezone-aware")
        if not self.is_closed and (self.start is None or self.end is None):
            raise ValueError("an override that is not closed needs start and end times")

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


@dataclass(frozen=True)
class DayWindow:
    day: date
    window: tuple[time, time] | None  # None = no working window
    break_: tuple[time, time] | None  # only set when there is a window
    winner: OverrideRow | None
    beaten: tuple[OverrideRow, ...]
    base_row: BaseRow | None
    verdict: str  # "override" | "base schedule" | "day off" | "closed"


def weekday_sunday0(day: date) -> int:
    """0 = Sunday ... 6 = Saturday (the ``day_of_week`` convention)."""
    return day.isoweekday() % 7


def base_row_for(rows: Iterable[BaseRow], day: date) -> BaseRow | None:
    """The active row for ``day``'s weekday whose effective range holds ``day``;
    among several, the latest ``effective_from`` (first one given on a tie)."""
    best: BaseRow | None = None
    for row in rows:
        if row.applies_on(day) and (best is None or row.effective_from > best.effective_from):
            best = row
    return best


def override_rank_key(o: OverrideRow) -> tuple:
    """Higher sorts first: priority, stylist-specific over business-wide, most
    recently created, greatest id (UUID text compared case-insensitively)."""
    return (o.priority, bool(o.is_stylist_specific), o.created_at, o.id.lower())


def resolve_overrides(
    overrides: Iterable[OverrideRow], day: date
) -> tuple[OverrideRow | None, list[OverrideRow]]:
    """(winner, the rows it beat in rank order) among the rows covering ``day``.
    ``override_type`` plays no part in the choice."""
    ranked = sorted(
        (o for o in overrides if o.covers(day)), key=override_rank_key, reverse=True
    )
    if not ranked:
        return None, []
    return ranked[0], ranked[1:]


def day_window(
    day: date, base_rows: Iterable[BaseRow], overrides: Iterable[OverrideRow]
) -> DayWindow:
    """The day's local working window and why (availability.md §3)."""
    base = base_row_for(base_rows, day)
    winner, beaten = resolve_overrides(overrides, day)
    window: tuple[time, time] | None
    if winner is not None:
        if winner.is_closed:
            window, verdict = None, "closed"
        elif base is None and not winner.is_stylist_specific:
            # business-wide hours do not open a stylist's day off
            window, verdict = None, "day off"
        else:
            assert winner.start is not None and winner.end is not None
            window, verdict = (winner.start, winner.end), "override"
    elif base is not None:
        window, verdict = (base.start, base.end), "base schedule"
    else:
        window, verdict = None, "day off"
    brk = base.break_ if (base is not None and window is not None) else None
    return DayWindow(
        day=day,
        window=window,
        break_=brk,
        winner=winner,
        beaten=tuple(beaten),
        base_row=base,
        verdict=verdict,
    )


def hours_errors(start: time | None, end: time | None, opening: str = "start",
                 closing: str = "end") -> dict[str, str]:
    """The messages for a working-hours pair typed on a form (fields `start`, `end`).

    `opening` / `closing` are the words the form uses ("opening" / "closing" time).
    """
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = f"Give the {opening} time."
    if end is None:
        errors["end"] = f"Give the {closing} time."
    elif start is not None and end <= start:
        errors["end"] = f"The {closing} time must be after the {opening} time."
    return errors
