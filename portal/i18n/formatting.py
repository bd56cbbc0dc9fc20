"""Locale-aware text for numbers, money, times and BS dates (pure: the locale is passed in).

English: `Rs 1,500`, `10:00 AM`, `21 Mangsir 2083`. Nepali: `रु १,५००` (lakh grouping,
`रु १,५०,०००`), `बिहान १०:००`, `२१ मंसिर २०८३` — Devanagari digits throughout
(docs/nepali.md says why times are written this way).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

from portal.domain.bikram_sambat import bs_date, devanagari_digits, month_label, to_bs

LANGUAGE_NAMES = {"en": "English", "ne": "नेपाली"}
# Parts of the day as salon staff say them; the hour each part begins.
DAY_PARTS_NE = ((4, "बिहान"), (12, "दिउँसो"), (16, "बेलुका"), (20, "राति"))


def is_nepali(locale: object) -> bool:
    return str(locale or "").lower().startswith("ne")


def numerals(value: object, locale: object) -> str:
    """Any number or text with its digits in the locale's script."""
    text = str(value)
    return devanagari_digits(text) if is_nepali(locale) else text


class LocalDigits(str):
    """A translated message that writes the numbers it is filled with (`%`) in Devanagari:
    for messages a library fills in itself (WTForms' "Number must be between %(min)s and
    %(max)s.", `%(min)d` too)."""

    def __mod__(self, values) -> str:
        return devanagari_digits(str.__mod__(self, values))


def rupees(paisa: int | None, locale: object) -> str:
    """Money stored in paisa: `Rs 1,500` / `रु १,५००`; paisa shown only when there are any."""
    if paisa is None:
        return "—"
    amount = Decimal(int(paisa)) / 100
    whole = int(paisa) % 100 == 0
    if is_nepali(locale):
        text = format_decimal(amount, format="#,##,##0" if whole else "#,##,##0.00", locale="ne")
        return "रु " + devanagari_digits(text)
    text = format_decimal(amount, format="#,##0" if whole else "#,##0.00", locale="en")
    return "Rs " + text


def percent(share: float | None, locale: object) -> str:
    """A share (0…1) as a percentage with one decimal: `12.5 %` / `१२.५ %`; none: `—`."""
    if share is None:
        return "—"
    return numerals(f"{share * 100:.1f} %", locale)


def clock(value: time | datetime | None, locale: object) -> str:
    """`10:00 AM` (English) / `बिहान १०:००` (Nepali): 12-hour with the part of the day."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.time()
    hour12 = value.hour % 12 or 12
    if not is_nepali(locale):
        return f"{hour12}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"
    return f"{_day_part(value)} {devanagari_digits(f'{hour12}:{value.minute:02d}')}"


def _day_part(value: time) -> str:
    part = DAY_PARTS_NE[-1][1]
    for begins, name in DAY_PARTS_NE:
        if value.hour >= begins:
            part = name
    return part


def clock_range(start: time | None, end: time | None, locale: object) -> str:
    """`10:00 AM – 11:45 AM`; in Nepali the part of the day is said once when both ends
    share it: `बिहान १०:०० – ११:४५`, `बिहान १०:०० – दिउँसो १२:३०`."""
    first, last = clock(start, locale), clock(end, locale)
    if is_nepali(locale) and start is not None and end is not None:
        start, end = (v.time() if isinstance(v, datetime) else v for v in (start, end))
        if _day_part(start) == _day_part(end):
            last = last.split(" ", 1)[1]
    return f"{first} – {last}"


def bs_text(value: date | datetime | None, locale: object) -> str:
    """The BS date for a page, or "" outside the library's range (Gregorian only then)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return bs_date(value, "ne" if is_nepali(locale) else "en") or ""


def bs_month_text(year: int, month: int, locale: object) -> str:
    return month_label(year, month, "ne" if is_nepali(locale) else "en")


def long_date(value: date | datetime | None, locale: object) -> str:
    """`Mon 7 Dec 2026` / `सोम ७ डिसेम्बर २०२६` (the Gregorian half of a date on a page)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    if is_nepali(locale):
        return devanagari_digits(format_date(value, "EEE d MMMM y", locale="ne"))
    return format_date(value, "EEE d MMM y", locale="en")


def dual_date(value: date | datetime | None, locale: object) -> str:
    """The one date of the pages: `Mon 7 Dec 2026 · 21 Mangsir 2083` (Gregorian only outside
    the BS library's range); in Nepali `सोम ७ डिसेम्बर २०२६ · २१ मंसिर २०८३`."""
    if value is None:
        return "—"
    bs = bs_text(value, locale)
    return f"{long_date(value, locale)} · {bs}" if bs else long_date(value, locale)


def clock_in(value: datetime | None, zone: str, locale: object) -> str:
    """An instant's time of day in `zone`."""
    if value is None:
        return "—"
    return clock(value.astimezone(ZoneInfo(zone)), locale)


def bs_day(value: date, locale: object) -> str:
    """The BS day of the month (`21` / `२१`), or "" out of range."""
    b = to_bs(value)
    return numerals(b.day, locale) if b else ""


def gregorian_month(year: int, month: int, locale: object) -> str:
    """`December 2026` / `डिसेम्बर २०२६`."""
    if is_nepali(locale):
        return devanagari_digits(format_date(date(year, month, 1), "MMMM y", locale="ne"))
    return format_date(date(year, month, 1), "MMMM y", locale="en")


def day_month(value: date, locale: object) -> str:
    """`7 Dec` / `७ डिसेम्बर` (a cell's small Gregorian date)."""
    if is_nepali(locale):
        return devanagari_digits(format_date(value, "d MMMM", locale="ne"))
    return format_date(value, "d MMM", locale="en")


def weekday_short(index_from_sunday: int, locale: object) -> str:
    """Column headings of a Sunday-first week: `Sun` / `आइत`."""
    sunday = date(2026, 11, 29)  # any Sunday
    return format_date(sunday + timedelta(days=index_from_sunday), "EEE", locale="ne" if is_nepali(locale) else "en")


def datetime_in(value: datetime | None, zone: str, locale: object) -> str:
    """An instant as `Mon 7 Dec 2026, 10:00 AM · 21 Mangsir 2083` in `zone`
    (Nepali: `सोम ७ डिसेम्बर २०२६, बिहान १०:०० · २१ मंसिर २०८३`)."""
    if value is None:
        return "—"
    local = value.astimezone(ZoneInfo(zone))
    bs = bs_text(local.date(), locale)
    text = f"{long_date(local.date(), locale)}, {clock(local.time(), locale)}"
    return f"{text} · {bs}" if bs else text

