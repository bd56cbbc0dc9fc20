"""Which month the effective-schedule page shows: a Gregorian month or a Bikram Sambat one.

`?month=2026-12` is a Gregorian month; `?calendar=bs&month=2083-08` a BS month (Mangsir
2083), whose grid runs from its 1st to its last day. Weeks start on Sunday in both.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from portal.domain import bikram_sambat as bs


@dataclass(frozen=True)
class MonthView:
    calendar: str  # "ad" or "bs"
    year: int
    month: int
    first: date
    last: date
    weeks: list[list[date | None]]
    previous: str
    next: str

    @property
    def other(self) -> dict[str, str]:
        """Query arguments of the other calendar's month that holds this month's first day."""
        if self.calendar == "bs":
            return {"month": f"{self.first.year:04d}-{self.first.month:02d}"}
        b = bs.to_bs(self.first)
        return {"calendar": "bs", "month": f"{b.year:04d}-{b.month:02d}"} if b else {}


def _parse(text: str | None) -> tuple[int, int] | None:
    try:
        year, month = (int(p) for p in (text or "").split("-"))
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 and 1900 <= year <= 9999 else None


def _label(year: int, month: int) -> str:
    return "%04d-%02d" % (year, month)


def month_view(calendar_name: str | None, month: str | None, today: date) -> MonthView:
    if calendar_name == "bs":
        view = _bs_view(_parse(month), today)
        if view is not None:
            return view
    year, month_number = _parse(month) if calendar_name != "bs" and _parse(month) else (today.year, today.month)
    last_day = calendar.monthrange(year, month_number)[1]
    first, last = date(year, month_number, 1), date(year, month_number, last_day)
    return MonthView("ad", year, month_number, first, last, bs.sunday_weeks(first, last),
                     _label(*bs.month_before(year, month_number)), _label(*bs.month_after(year, month_number)))


def _bs_view(wanted: tuple[int, int] | None, today: date) -> MonthView | None:
    if wanted is None or bs.month_bounds(*wanted) is None:
        now = bs.to_bs(today)
        if now is None:
            return None
        wanted = (now.year, now.month)
    first, last = bs.month_bounds(*wanted)
    return MonthView("bs", wanted[0], wanted[1], first, last, bs.sunday_weeks(first, last),
                     _label(*bs.month_before(*wanted)), _label(*bs.month_after(*wanted)))
