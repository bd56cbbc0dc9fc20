"""Bikram Sambat on the effective-schedule page: the BS month grid runs from the BS 1st to the
month's last day; the BS date shown for every day equals the library's, and days outside its
range show the Gregorian date only (no error)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import nepali_datetime
import pytest


LIST_DAY = re.compile(r'<div class="fw-bold">([^<]*)</div>\s*<div class="effective-day small" data-day="([\d-]+)"')
CAL_DAY = re.compile(r'<table[^>]*id="effective-calendar".*?</table>', re.S)


@pytest.fixture
def stylist(factory, admin):
    s = factory.stylist(display_name="Asha")
    factory.week(s, days=range(6))  # Saturday off
    return s


def _library(d: date, nepali: bool = False) -> str:
    n = nepali_datetime.date.from_datetime_date(d)
    text = f"{n.day} {n.strftime('%N' if nepali else '%B')} {n.year}"
    return text.translate(str.maketrans("0123456789", "०१२३४५६७८९")) if nepali else text


@pytest.mark.parametrize("bs_month", [(2083, 8), (2082, 12), (2083, 1)])
def test_bs_month_grid_runs_from_the_first_to_the_last_day(client, stylist, bs_month):
    year, month = bs_month
    page = client.get(f"/schedules/stylists/{stylist.user_id}/effective?calendar=bs&month={year}-{month:02d}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    first = nepali_datetime.date(year, month, 1).to_datetime_date()
    after = nepali_datetime.date(*((year + 1, 1) if month == 12 else (year, month + 1)), 1).to_datetime_date()
    expected = [(first + timedelta(days=i)).isoformat() for i in range((after - first).days)]
    calendar = CAL_DAY.search(html).group(0)
    assert re.findall(r'data-day="([\d-]+)"', calendar) == expected
    assert [d for _, d in LIST_DAY.findall(html)] == expected
    assert f"id=\"month-title\">{nepali_datetime.date(year, month, 1).strftime('%B')} {year}<" in html
    assert 'data-calendar="bs"' in calendar
    # the first row starts on Sunday: as many empty cells before the 1st as its weekday from Sunday
    first_row = calendar.split("<tr>", 2)[2].split("</tr>", 1)[0]
    assert first_row.split("<td")[1:].index(next(c for c in first_row.split("<td")[1:] if "data-day" in c)) == \
        (first.weekday() + 1) % 7


@pytest.mark.parametrize("month", ["2026-04", "2026-12", "2044-04"])
def test_the_bs_date_of_every_day_equals_the_librarys(client, stylist, month):
    html = client.get(f"/schedules/stylists/{stylist.user_id}/effective?month={month}").get_data(as_text=True)
    shown = LIST_DAY.findall(html)
    assert shown
    last = nepali_datetime.date.max.to_datetime_date()
    for text, day in shown:
        d = date.fromisoformat(day)
        if d <= last:
            assert text.endswith(" · " + _library(d)), (day, text)
        else:
            assert "·" not in text and str(d.day) in text, (day, text)  # Gregorian only


def test_nepali_page_shows_devanagari(client, stylist):
    html = client.get(f"/schedules/stylists/{stylist.user_id}/effective?calendar=bs&month=2083-08",
                      headers={"Accept-Language": "ne"}).get_data(as_text=True)
    assert 'id="month-title">मंसिर २०८३<' in html
    for text, day in LIST_DAY.findall(html):
        assert text.endswith(" · " + _library(date.fromisoformat(day), nepali=True))


def test_switching_between_calendars(client, stylist):
    html = client.get(f"/schedules/stylists/{stylist.user_id}/effective?month=2026-12").get_data(as_text=True)
    link = re.search(r'id="switch-calendar" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "calendar=bs" in link and "month=2083-08" in link
    back = client.get(link).get_data(as_text=True)
    assert re.search(r'id="switch-calendar" href="[^"]*month=2026-11', back)
    # a BS month the library does not know is refused with a message, not guessed
    refused = client.get(f"/schedules/stylists/{stylist.user_id}/effective?calendar=bs&month=2150-01")
    assert refused.status_code == 400 and "between 1975 and 2100" in refused.get_data(as_text=True)
