"""Which month the effective-schedule page shows: a Gregorian month or a Bikram Sambat one.

`?month=2026-12` is a Gregorian month; `?calendar=bs&month=2083-08` a BS month (Mangsir
2083), whose grid runs from its 1st to its last day. Weeks start on Sunday in both.
A month that cannot be shown is refused with a message (a 400 page), never guessed.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from portal.domain import bikram_sambat as bs
from portal.domain.input_bounds import EARLIEST_DATE, LATEST_DATE, month_in_range, typed_digits
from portal.domain.refusals import Refused
from portal.domain.translatable import Msg


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


def _parse(text: str) -> tuple[int, int] | None:
    text = typed_digits(text) or ""  # `२०३०-०१` is the same month; other scripts' digits are not
    try:
        year, month = (int(p) for p in text.split("-"))
    except ValueError:
        return None
    return (year, month) if len(text) <= 7 and 1 <= month <= 12 else None


def _label(year: int, month: int) -> str:
    return "%04d-%02d" % (year, month)


def month_view(calendar_name: str | None, month: str | None, today: date) -> MonthView:
    """The month asked for (this month when none is); a malformed month, or one outside
    `portal.domain.input_bounds` (BS: outside the library's years), is refused (400)."""
    if calendar_name == "bs":
        return _bs_view(month, today)
    if not month:
        year, number = today.year, today.month
    else:
        wanted = _parse(month)
        if wanted is None or not month_in_range(*wanted):
            raise Refused("MONTH_OUT_OF_RANGE", Msg(
                "Choose a month as year-month, e.g. 2030-01, between %(first)s and %(last)s.",
                first=EARLIEST_DATE.year, last=LATEST_DATE.year))
        year, number = wanted
    last_day = calendar.monthrange(year, number)[1]
    first, last = date(year, number, 1), date(year, number, last_day)
    return MonthView("ad", year, number, first, last, bs.sunday_weeks(first, last),
                     _label(*bs.month_before(year, number)), _label(*bs.month_after(year, number)))


def _bs_view(month: str | None, today: date) -> MonthView:
    if not month:
        now = bs.to_bs(today)
        if now is None:  # today itself is beyond the library: the Gregorian month
            return month_view(None, None, today)
        wanted = (now.year, now.month)
    else:
        wanted = _parse(month)
    if wanted is None or bs.month_bounds(*wanted) is None:
        raise Refused("BS_MONTH_OUT_OF_RANGE", Msg(
            "Choose a Bikram Sambat month as year-month, e.g. 2083-08, between %(first)s and %(last)s.",
            first=bs.FIRST_YEAR, last=bs.LAST_YEAR))
    first, last = bs.month_bounds(*wanted)
    return MonthView("bs", wanted[0], wanted[1], first, last, bs.sunday_weeks(first, last),
                     _label(*bs.month_before(*wanted)), _label(*bs.month_after(*wanted)))
