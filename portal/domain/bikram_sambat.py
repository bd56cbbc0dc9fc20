"""Bikram Sambat (BS) dates, from the pinned `nepali-datetime` library — never a table of our own.

Pure: no Flask, no session. Every function answers `None` for a date outside the
library's range (BS 1975–2100, i.e. 13 Apr 1918 – 12 Apr 2044) or for a BS date that
does not exist, so callers show the Gregorian date alone and never fail.

- `to_bs(date)` / `to_gregorian(year, month, day)`: conversion both ways;
- `month_length`, `month_bounds`: a BS month's number of days and its first and last
  Gregorian dates (the BS month view's grid);
- `month_name(month, locale)`: `Mangsir` in English, `मंसिर` in Nepali (the library's names);
- `bs_date(d, locale)`: `21 Mangsir 2083` / `२१ मंसिर २०८३` — the extension point the
  pages' date filter calls.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

import nepali_datetime

DEVANAGARI_DIGITS = str.maketrans("0123456789", "०१२३४५६७८९")
LATIN_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
FIRST_YEAR, LAST_YEAR = nepali_datetime.MINYEAR, nepali_datetime.MAXYEAR


class BsDate(NamedTuple):
    year: int
    month: int
    day: int

    def __str__(self) -> str:
        return "%04d-%02d-%02d" % self


def devanagari_digits(text: object) -> str:
    """`2083` -> `२०८३` (any text; other characters unchanged)."""
    return str(text).translate(DEVANAGARI_DIGITS)


def latin_digits(text: str) -> str:
    return text.translate(LATIN_DIGITS)


def _bs(year: int, month: int, day: int):
    try:
        return nepali_datetime.date(year, month, day)
    except (ValueError, OverflowError, TypeError):
        return None


def to_bs(d: date) -> BsDate | None:
    """The BS date of a Gregorian date, or None outside the library's range."""
    try:
        n = nepali_datetime.date.from_datetime_date(d)
    except (ValueError, OverflowError, TypeError):
        return None
    return BsDate(n.year, n.month, n.day)


def to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian date of a BS date, or None when it does not exist or is out of range."""
    n = _bs(year, month, day)
    if n is None:
        return None
    try:
        return n.to_datetime_date()
    except (ValueError, OverflowError):
        return None


def month_bounds(year: int, month: int) -> tuple[date, date] | None:
    """First and last Gregorian dates of BS month (year, month), or None out of range."""
    first = to_gregorian(year, month, 1)
    if first is None:
        return None
    last_day = max(day for day in range(28, 33) if _bs(year, month, day) is not None)
    last = to_gregorian(year, month, last_day)
    return (first, last) if last is not None else None


def month_length(year: int, month: int) -> int | None:
    bounds = month_bounds(year, month)
    return None if bounds is None else (bounds[1] - bounds[0]).days + 1


def month_name(month: int, locale: str = "en") -> str:
    """`Mangsir` (en) or `मंसिर` (ne), as the library spells them."""
    if not 1 <= month <= 12:
        raise ValueError("a BS month is 1..12")
    return nepali_datetime.date(2080, month, 1).strftime("%N" if _nepali(locale) else "%B")


def month_label(year: int, month: int, locale: str = "en") -> str:
    """`Mangsir 2083` / `मंसिर २०८३`."""
    text = f"{month_name(month, locale)} {year}"
    return devanagari_digits(text) if _nepali(locale) else text


def bs_date(d: date | None, locale: str = "en") -> str | None:
    """`21 Mangsir 2083` (en) / `२१ मंसिर २०८३` (ne); None when `d` is outside the range."""
    if d is None:
        return None
    bs = to_bs(d)
    if bs is None:
        return None
    text = f"{bs.day} {month_name(bs.month, locale)} {bs.year}"
    return devanagari_digits(text) if _nepali(locale) else text


def sunday_weeks(first: date, last: date) -> list[list[date | None]]:
    """The calendar grid of [first, last]: weeks from Sunday to Saturday, None outside the range."""
    start = first - timedelta(days=(first.weekday() + 1) % 7)  # back to Sunday
    weeks: list[list[date | None]] = []
    day = start
    while day <= last:
        weeks.append([d if first <= d <= last else None for d in (day + timedelta(days=i) for i in range(7))])
        day += timedelta(days=7)
    return weeks


def month_grid(year: int, month: int) -> list[list[date | None]] | None:
    """The BS month's grid (week starts Sunday), from its 1st to its last day; None out of range."""
    bounds = month_bounds(year, month)
    return None if bounds is None else sunday_weeks(*bounds)


def month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _nepali(locale: str | None) -> bool:
    return str(locale or "").lower().startswith("ne")
