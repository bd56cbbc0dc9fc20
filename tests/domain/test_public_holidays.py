"""The holidays list (domain): names without the package's "(estimated)" suffix, the flag
instead; a BS year's period from the BS library; Teej named as missing in either language."""
from __future__ import annotations

from datetime import date

import holidays

from portal.domain.public_holidays import (
    holiday_period, holidays_in, missing_festivals, nepal_public_holidays,
)


def test_estimated_is_a_flag_not_part_of_the_name():
    listed = nepal_public_holidays(2026)
    eid = [h for h in listed if h.name_en == "Eid al-Fitr"]
    assert len(eid) == 1 and eid[0].estimated and eid[0].name_ne == "ईद (ईद उल फित्र)"
    assert eid[0].closure_reason("en") == "Eid al-Fitr" and eid[0].closure_reason("ne") == "ईद (ईद उल फित्र)"
    raw = holidays.country_holidays("NP", years=2026, language="en_US")
    assert all((f"{h.name_en} (estimated)" == raw[h.day]) == h.estimated for h in listed if "," not in h.name_en)
    assert not any("estimated" in h.name_en or "अनुमानित" in h.name_ne for h in listed)
    dashain = [h for h in listed if "Dashami" in h.name_en]
    assert dashain and not dashain[0].estimated


def test_a_bs_year_spans_baishakh_to_chaitra():
    period = holiday_period("BS", 2083)
    assert (period.first, period.last) == (date(2026, 4, 14), date(2027, 4, 13))
    listed = holidays_in(period)
    assert listed[0].name_en == "Nepali New Year" and listed[0].day == period.first
    assert all(period.first <= h.day <= period.last for h in listed)
    assert holiday_period("BS", 2200) is None
    gregorian = holiday_period("AD", 2026)
    assert (gregorian.first, gregorian.last) == (date(2026, 1, 1), date(2026, 12, 31))


def test_teej_is_named_as_missing():
    (teej,) = missing_festivals(nepal_public_holidays(2026))
    assert (teej.name("en"), teej.name("ne")) == ("Haritalika Teej", "हरितालिका तीज")
