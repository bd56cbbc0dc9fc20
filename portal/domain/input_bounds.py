"""The ranges typed input must fall in (security.md "Out-of-range input"): beyond them
a form error or a 400, never an overflow deep inside. Pure, no Flask.

- dates a person enters (closures, schedules, override requests, months to view):
  `EARLIEST_DATE`..`LATEST_DATE` — far enough either way for any real salon plan,
  and leaves room for the day arithmetic the pages do around a date;
- whole numbers in forms: what a PostgreSQL `integer` column holds;
- page numbers: 1..`MAX_PAGE`;
- every form and query value (security.md "Text fields and query values never reach
  the database with a NUL byte"): no NUL character, at most `MAX_VALUE_LENGTH`
  characters (above every field's own limit, so a field's own message is what a person
  normally sees; the bound stops what no form would send);
- digits a person types: 0-9, or Devanagari ०-९ (Nepali keyboards type these), read as
  the same number; the digits of any other script are refused (`typed_digits`).
"""
from __future__ import annotations

from datetime import date

from portal.domain.bikram_sambat import latin_digits
from portal.domain.refusals import Refused
from portal.domain.translatable import Msg, N_

EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2199, 12, 31)
MAX_INTEGER = 2**31 - 1
MAX_PAGE = 1_000_000
MAX_VALUE_LENGTH = 10_000
OTHER_DIGITS = N_("Type the numbers with the digits 0-9 or ०-९.")


class BadInput(Refused):
    """A form or query value no person types (a NUL byte, an enormous value): refused
    before any view reads it; `fields` names the value."""

    default_code = "BAD_INPUT"


def date_problem(day: date | None) -> str | None:
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        return Msg("Enter a date between %(first)s and %(last)s.", first=EARLIEST_DATE.year, last=LATEST_DATE.year)
    return None


def integer_problem(number: int | None) -> str | None:
    if number is not None and not -MAX_INTEGER <= number <= MAX_INTEGER:
        return N_("That number is far too large.")
    return None


def month_in_range(year: int, month: int) -> bool:
    return 1 <= month <= 12 and EARLIEST_DATE.year <= year <= LATEST_DATE.year


def page_in_range(page: int) -> bool:
    return 1 <= page <= MAX_PAGE


def value_problem(value: str) -> str | None:
    """Why a form or query value is refused before any view reads it, or None."""
    if "\x00" in value:
        return N_("This holds a NUL character, which is never part of typed text.")
    if len(value) > MAX_VALUE_LENGTH:
        return Msg("This is longer than %(count)s characters.", count=MAX_VALUE_LENGTH)
    return None


def visible(text: str, limit: int = 254) -> str:
    """Text fit for a log row: a NUL written as `\\x00` (PostgreSQL text and JSON
    cannot hold one), cut at `limit` characters."""
    return text.replace("\x00", "\\x00")[:limit]


def typed_integer(text: str | None) -> int | None:
    """A whole number in a query value (`42`, `४२`), or None when there is none; another
    script's digits are a `BadInput` (400), never read as a number."""
    digits = typed_digits((text or "").strip())
    if digits is None:
        raise BadInput("OTHER_DIGITS", OTHER_DIGITS)
    try:
        return int(digits)
    except ValueError:
        return None


def typed_digits(text: str) -> str | None:
    """`text` with Devanagari digits read as 0-9; None when it holds a digit (or other
    numeral) of any other script, so that no parser accepts `٣` or `²` as a number."""
    text = latin_digits(text)
    if any(not ch.isascii() and ch.isnumeric() for ch in text):
        return None
    return text
