"""The ranges typed input must fall in (security.md "Out-of-range input"): beyond them
a form error or a 400, never an overflow deep inside. Pure, no Flask.

- dates a person enters (closures, schedules, override requests, months to view):
  `EARLIEST_DATE`..`LATEST_DATE` — far enough either way for any real salon plan,
  and leaves room for the day arithmetic the pages do around a date;
- whole numbers in forms: what a PostgreSQL `integer` column holds;
- page numbers: 1..`MAX_PAGE`.
"""
from __future__ import annotations

from datetime import date

EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2199, 12, 31)
MAX_INTEGER = 2**31 - 1
MAX_PAGE = 1_000_000


def date_problem(day: date | None) -> str | None:
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"Enter a date between {EARLIEST_DATE:%Y} and {LATEST_DATE:%Y}."
    return None


def integer_problem(number: int | None) -> str | None:
    if number is not None and not -MAX_INTEGER <= number <= MAX_INTEGER:
        return "That number is far too large."
    return None


def month_in_range(year: int, month: int) -> bool:
    return 1 <= month <= 12 and EARLIEST_DATE.year <= year <= LATEST_DATE.year


def page_in_range(page: int) -> bool:
    return 1 <= page <= MAX_PAGE
