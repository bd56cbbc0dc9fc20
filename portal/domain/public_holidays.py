"""Nepal's public holidays for a year, from the pinned `holidays` package (country NP).

Pure: no Flask, no session. One entry per date (several festivals on one day are
named together), in English and Nepali as the package spells them. What the package
does not know is said, not guessed:

- years outside FIRST_YEAR..LAST_YEAR: nothing listed;
- years whose lunar tables are missing (the package's end in 2035): only fixed-date
  holidays — `lunar_festivals_listed` is False;
- festivals it lacks altogether (Teej): `missing_festivals`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import holidays

FIRST_YEAR = holidays.NP.start_year
LAST_YEAR = getattr(holidays.NP, "end_year", 2100)
MAX_SHIFT_DAYS = 7  # lunar dates can be off by a day or two; further is another closure
# A festival that follows the moon, present in every year the lunar tables cover.
LUNAR_MARKER = "Bijaya Dashami"
# Festivals salons close for that the package does not list: (word to look for, English, Nepali).
WATCHED_FESTIVALS = (("Teej", "Haritalika Teej", "हरितालिका तीज"),)


@dataclass(frozen=True)
class PublicHoliday:
    day: date
    name_en: str
    name_ne: str

    def name(self, locale: str | None) -> str:
        return self.name_ne if str(locale or "").startswith("ne") else self.name_en

    @property
    def closure_reason(self) -> str:
        """The closure's reason: the festival's name in both languages."""
        return self.name_en if self.name_ne == self.name_en else f"{self.name_en} ({self.name_ne})"


def _listing(year: int, language: str) -> dict[date, str]:
    table = holidays.country_holidays("NP", years=year, language=language)
    return {day: ", ".join(table.get_list(day)) for day in sorted(table) if day.year == year}


def nepal_public_holidays(year: int) -> list[PublicHoliday]:
    """The year's holidays by date; empty outside the package's years."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return []
    english, nepali = _listing(year, "en_US"), _listing(year, "ne")
    return [PublicHoliday(day, english[day], nepali.get(day, english[day])) for day in english]


def lunar_festivals_listed(year_holidays: list[PublicHoliday]) -> bool:
    return any(LUNAR_MARKER in h.name_en for h in year_holidays)


def missing_festivals(year_holidays: list[PublicHoliday], locale: str | None = "en") -> list[str]:
    """Watched festivals the year's list lacks (e.g. Teej), named in `locale`."""
    nepali = str(locale or "").startswith("ne")
    return [name_ne if nepali else name_en for word, name_en, name_ne in WATCHED_FESTIVALS
            if not any(word in h.name_en for h in year_holidays)]


def shift_allowed(listed: date, chosen: date) -> bool:
    return abs((chosen - listed).days) <= MAX_SHIFT_DAYS
