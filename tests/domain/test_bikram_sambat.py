"""Bikram Sambat conversion: what the portal shows equals what the library says.

The expected values are read from `nepali_datetime` itself (the pinned library), at BS
month and year boundaries, and for dates outside its range (None: Gregorian only).
"""
from __future__ import annotations

from datetime import date, timedelta

import nepali_datetime
import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import bikram_sambat as bs

FIRST = nepali_datetime.date.min.to_datetime_date()
LAST = nepali_datetime.date.max.to_datetime_date()

# BS year boundary (1 Baishakh 2083 = 14 Apr 2026), month boundaries, the spec's example
BOUNDARIES = [
    date(2026, 4, 13), date(2026, 4, 14),        # Chaitra 2082 -> Baishakh 2083
    date(2026, 11, 16), date(2026, 11, 17),      # Kartik -> Mangsir 2083
    date(2026, 12, 7),                           # 21 Mangsir 2083 (spec's example)
    date(2026, 12, 15), date(2026, 12, 16),      # Mangsir -> Poush 2083
    FIRST, LAST,
]
OUTSIDE = [FIRST - timedelta(days=1), LAST + timedelta(days=1), date(1900, 1, 1), date(2099, 12, 31)]


def library(d: date):
    return nepali_datetime.date.from_datetime_date(d)


@pytest.mark.parametrize("day", BOUNDARIES)
def test_conversion_and_text_equal_the_library(day):
    n = library(day)
    assert bs.to_bs(day) == (n.year, n.month, n.day)
    assert bs.to_gregorian(n.year, n.month, n.day) == day
    assert bs.bs_date(day, "en") == f"{n.day} {n.strftime('%B')} {n.year}"
    assert bs.bs_date(day, "ne") == bs.devanagari_digits(f"{n.day} {n.strftime('%N')} {n.year}")


def test_the_specs_example():
    assert bs.bs_date(date(2026, 12, 7), "en") == "21 Mangsir 2083"
    assert bs.bs_date(date(2026, 12, 7), "ne") == "२१ मंसिर २०८३"


def test_year_boundary():
    assert bs.to_bs(date(2026, 4, 14)) == (2083, 1, 1)
    before = bs.to_bs(date(2026, 4, 13))
    assert (before.year, before.month) == (2082, 12)
    assert before.day == bs.month_length(2082, 12)


@pytest.mark.parametrize("day", OUTSIDE)
def test_outside_the_range_is_none_not_an_error(day):
    with pytest.raises((OverflowError, ValueError)):
        library(day)
    assert bs.to_bs(day) is None
    assert bs.bs_date(day, "en") is None and bs.bs_date(day, "ne") is None


@pytest.mark.parametrize("ymd", [(1974, 12, 30), (2101, 1, 1), (2083, 8, 32), (2083, 13, 1), (2083, 0, 1)])
def test_bs_dates_that_do_not_exist_are_none(ymd):
    assert bs.to_gregorian(*ymd) is None


@pytest.mark.parametrize("year", [1975, 2082, 2083, 2100])
def test_month_bounds_follow_the_library(year):
    for month in range(1, 13):
        first, last = bs.month_bounds(year, month)
        assert library(first) == nepali_datetime.date(year, month, 1)
        assert (library(last).year, library(last).month) == (year, month)
        after = last + timedelta(days=1)
        if after <= LAST:
            assert library(after).day == 1
        assert bs.month_length(year, month) == library(last).day
        assert 29 <= bs.month_length(year, month) <= 32


def test_month_bounds_outside_the_range():
    assert bs.month_bounds(1974, 12) is None and bs.month_bounds(2101, 1) is None


def test_month_names_and_labels():
    assert [bs.month_name(m) for m in (1, 8, 12)] == ["Baishakh", "Mangsir", "Chaitra"]
    assert bs.month_name(8, "ne") == "मंसिर"
    assert bs.month_label(2083, 8, "ne") == "मंसिर २०८३"
    assert bs.month_label(2083, 8, "en") == "Mangsir 2083"
    with pytest.raises(ValueError):
        bs.month_name(13)


def test_digits_convert_between_latin_and_devanagari():
    assert bs.devanagari_digits("1,500.50") == "१,५००.५०"
    assert bs.latin_digits("२०८३-०८-२१") == "2083-08-21"


@given(st.dates(min_value=FIRST, max_value=LAST))
def test_round_trip_in_range(day):
    b = bs.to_bs(day)
    assert b == tuple(library(day).timetuple()[:3])
    assert bs.to_gregorian(*b) == day


@pytest.mark.parametrize("ym", [(2083, 8), (2082, 12), (2083, 1), (2100, 12), (1975, 1)])
def test_the_bs_month_grid_runs_from_the_first_to_the_last_day(ym):
    weeks = bs.month_grid(*ym)
    days = [d for week in weeks for d in week if d is not None]
    assert library(days[0]) == nepali_datetime.date(ym[0], ym[1], 1)
    assert library(days[-1]).day == bs.month_length(*ym) and (library(days[-1]).month == ym[1])
    assert days == [days[0] + timedelta(days=i) for i in range(len(days))]  # every day once, in order
    assert all(len(week) == 7 for week in weeks)
    for week in weeks:  # Sunday first
        for position, d in enumerate(week):
            if d is not None:
                assert (d.weekday() + 1) % 7 == position
    assert all(d is not None for d in weeks[0][(days[0].weekday() + 1) % 7:])
    assert bs.month_grid(2101, 1) is None
