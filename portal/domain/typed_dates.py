"""Reading a date a person types in a date box (ui.md "Dates and times", nepal.md).

Pure: no Flask. `read_date(text)` answers the Gregorian date, or raises `DateNotRead`
saying what is wrong (the page words it: `portal.form_fields.date_problem_text`).

What a date box accepts (digits 0-9 or ०-९, the caller turns ०-९ into 0-9 first):
- a Gregorian (AD) date, year first: `2026-12-07` (also `2026/12/7`, `2026.12.07`);
- a Bikram Sambat date, marked `BS` (or `B.S.`, `वि.सं.`, `बि.सं.`) before or after it:
  `BS 2083-08-21`, `2083-08-21 BS`, `वि.सं. २०८३-०८-२१` — converted with the same library
  as every BS date on the pages (`portal.domain.bikram_sambat`).

Without a marker a date is Gregorian: `2083-08-21` is a valid AD date too, so the
calendar is never guessed from the year.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from portal.domain import bikram_sambat

GREGORIAN, BIKRAM_SAMBAT = "AD", "BS"
# Ways people mark a BS date (compared without dots, spaces and case).
BS_MARKERS = ("bs", "वस", "बस", "विसं", "बिसं", "वि.सं", "बि.सं")
_MARKER = re.compile(r"^\s*(?P<before>[^\d\s]*)\s*(?P<date>\d[\d\s./-]*\d)\s*(?P<after>[^\d\s]*)\s*$")
_PARTS = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
_AD_MARKERS = ("ad", "ईस्वी", "इस्वी", "ई")

# Why a typed date was not read.
SHAPE = "shape"          # not year-month-day
NO_SUCH_MONTH = "month"  # month outside 1..12
NO_SUCH_DAY = "day"      # the month has fewer days (or day 0)
BS_OUT_OF_RANGE = "bs_range"  # a BS year the library does not cover


@dataclass(frozen=True)
class DateNotRead(ValueError):
    reason: str
    calendar: str = GREGORIAN
    year: int | None = None
    month: int | None = None
    days: int | None = None  # the month's number of days (NO_SUCH_DAY)

    def __str__(self) -> str:
        return f"date not read: {self.reason}"


def _normalised_marker(text: str) -> str:
    return re.sub(r"[\s.]", "", text).casefold()


def _calendar(before: str, after: str) -> str | None:
    marks = [m for m in (_normalised_marker(before), _normalised_marker(after)) if m]
    if not marks:
        return GREGORIAN
    if len(marks) > 1:
        return None
    mark = marks[0]
    if mark in {_normalised_marker(m) for m in BS_MARKERS}:
        return BIKRAM_SAMBAT
    if mark in _AD_MARKERS:
        return GREGORIAN
    return None


def split(text: str) -> tuple[str, int, int, int]:
    """(calendar, year, month, day) as typed; `DateNotRead(SHAPE)` when it is not a date's shape."""
    match = _MARKER.match(text or "")
    if not match:
        raise DateNotRead(SHAPE)
    which = _calendar(match["before"], match["after"])
    parts = _PARTS.match(match["date"].strip())
    if which is None or not parts:
        raise DateNotRead(SHAPE)
    year, month, day = (int(p) for p in parts.groups())
    return which, year, month, day


def read_date(text: str) -> date:
    """The Gregorian date `text` names (AD, or BS with its marker); `DateNotRead` otherwise."""
    which, year, month, day = split(text)
    if not 1 <= month <= 12:
        raise DateNotRead(NO_SUCH_MONTH, which, year, month)
    if which == BIKRAM_SAMBAT:
        return _bikram_sambat(year, month, day)
    if year < 1:
        raise DateNotRead(SHAPE)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateNotRead(NO_SUCH_DAY, GREGORIAN, year, month, days)
    return date(year, month, day)


def _bikram_sambat(year: int, month: int, day: int) -> date:
    if not bikram_sambat.FIRST_YEAR <= year <= bikram_sambat.LAST_YEAR:
        raise DateNotRead(BS_OUT_OF_RANGE, BIKRAM_SAMBAT, year, month)
    days = bikram_sambat.month_length(year, month)
    converted = bikram_sambat.to_gregorian(year, month, day)
    if converted is None or days is None:
        if days is None:
            raise DateNotRead(BS_OUT_OF_RANGE, BIKRAM_SAMBAT, year, month)
        raise DateNotRead(NO_SUCH_DAY, BIKRAM_SAMBAT, year, month, days)
    return converted
