"""Nepal's public holidays for a year, from the pinned `holidays` package (country NP).

Pure: no Flask, no session. One entry per date (several festivals on one day are
named together), in English and Nepali as the package spells them, without the
package's "(estimated)" suffix: `estimated` says the date is the package's estimate
(Islamic festivals follow the sighted moon) — the page marks it and never ticks it.

A year is a Gregorian year or a Bikram Sambat year (`HolidayPeriod`; a BS year runs
from 1 Baishakh, mid-April, to the last day of Chaitra), converted with
`portal.domain.bikram_sambat`. What the package does not know is said, not guessed:

- years outside FIRST_YEAR..LAST_YEAR: nothing listed;
- years whose lunar tables are missing (the package's end in 2035): only fixed-date
  holidays — `lunar_festivals_listed` is False;
- festivals it lacks altogether (Haritalika Teej): `missing_festivals`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import holidays

from portal.domain import bikram_sambat

FIRST_YEAR = holidays.NP.start_year
LAST_YEAR = getattr(holidays.NP, "end_year", 2100)
MAX_SHIFT_DAYS = 7  # lunar dates can be off by a day or two; further is another closure
# A festival that follows the moon, present in every year the lunar tables cover.
LUNAR_MARKER = "Bijaya Dashami"
GREGORIAN, BIKRAM_SAMBAT = "AD", "BS"


@dataclass(frozen=True)
class WatchedFestival:
    """A festival salons close for that the package does not list."""

    word: str  # looked for in the English names
    name_en: str
    name_ne: str

    def name(self, locale: str | None) -> str:
        return self.name_ne if _nepali(locale) else self.name_en


WATCHED_FESTIVALS = (WatchedFestival("Teej", "Haritalika Teej", "हरितालिका तीज"),)


@dataclass(frozen=True)
class PublicHoliday:
    day: date
    name_en: str
    name_ne: str
    estimated: bool = False

    def name(self, locale: str | None) -> str:
        return self.name_ne if _nepali(locale) else self.name_en

    def closure_reason(self, locale: str | None) -> str:
        """The closure's reason: the festival's name in the importing page's language,
        as an admin would type it by hand (docs/nepal.md)."""
        return self.name(locale)


@dataclass(frozen=True)
class HolidayPeriod:
    """The days a holidays page lists: Gregorian year `year` or BS year `year`."""

    calendar: str
    year: int
    first: date
    last: date

    @property
    def in_range(self) -> bool:
        return FIRST_YEAR <= self.first.year and self.last.year <= LAST_YEAR


def holiday_period(calendar: str, year: int) -> HolidayPeriod | None:
    """The period of a year in `calendar`; None for a BS year outside the BS library."""
    if calendar != BIKRAM_SAMBAT:
        return HolidayPeriod(GREGORIAN, year, date(year, 1, 1), date(year, 12, 31))
    first = bikram_sambat.to_gregorian(year, 1, 1)
    bounds = bikram_sambat.month_bounds(year, 12)
    if first is None or bounds is None:
        return None
    return HolidayPeriod(BIKRAM_SAMBAT, year, first, bounds[1])


def bs_year_of(day: date) -> int | None:
    bs = bikram_sambat.to_bs(day)
    return bs.year if bs else None


def _estimated_pattern(table) -> re.Pattern:
    label = table.tr(table.estimated_label)  # "%s (estimated)", "%s (अनुमानित)"
    prefix, _, suffix = label.partition("%s")
    return re.compile(f"^{re.escape(prefix)}(.*){re.escape(suffix)}$")


def _listing(year: int, language: str) -> dict[date, tuple[str, bool]]:
    table = holidays.country_holidays("NP", years=year, language=language)
    estimated = _estimated_pattern(table)
    listing = {}
    for day in sorted(table):
        if day.year != year:
            continue
        names, flags = [], []
        for name in table.get_list(day):
            match = estimated.match(name)
            names.append(match.group(1) if match else name)
            flags.append(bool(match))
        listing[day] = (", ".join(names), any(flags))
    return listing


def nepal_public_holidays(year: int) -> list[PublicHoliday]:
    """The Gregorian year's holidays by date; empty outside the package's years."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return []
    english, nepali = _listing(year, "en_US"), _listing(year, "ne")
    return [PublicHoliday(day, name, nepali.get(day, (name, estimated))[0], estimated)
            for day, (name, estimated) in english.items()]


def holidays_in(period: HolidayPeriod) -> list[PublicHoliday]:
    """The period's holidays by date (a BS year spans two Gregorian years)."""
    listed: list[PublicHoliday] = []
    for year in range(period.first.year, period.last.year + 1):
        listed += [h for h in nepal_public_holidays(year) if period.first <= h.day <= period.last]
    return listed


def lunar_festivals_listed(year_holidays: list[PublicHoliday]) -> bool:
    return any(LUNAR_MARKER in h.name_en for h in year_holidays)


def missing_festivals(year_holidays: list[PublicHoliday]) -> list[WatchedFestival]:
    """Watched festivals the year's list lacks (e.g. Haritalika Teej)."""
    return [f for f in WATCHED_FESTIVALS if not any(f.word in h.name_en for h in year_holidays)]


def shift_allowed(listed: date, chosen: date) -> bool:
    return abs((chosen - listed).days) <= MAX_SHIFT_DAYS


def _nepali(locale: str | None) -> bool:
    return str(locale or "").startswith("ne")


def next_period(period: HolidayPeriod, step: int) -> HolidayPeriod | None:
    return holiday_period(period.calendar, period.year + step)


