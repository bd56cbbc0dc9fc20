"""Everyday pages say why a day has its hours in plain words; the layering (priorities,
"beat") is for the effective-schedule view and details folds; a time zone is named in
people's words, in the page's language (issue 25, point 4)."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from flask_babel import force_locale

from portal.domain.schedule_layers import DayWindow, OverrideRow
from portal.templating import day_layers, day_reason, zone_name

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
PUJA = OverrideRow("p", "stylist_vacation", True, date(2030, 1, 7), date(2030, 1, 7), True, None, None, 50, T0,
                   "Family puja")
WINTER = OverrideRow("w", "seasonal_hours", False, date(2030, 1, 1), date(2030, 2, 1), False, time(10), time(16),
                     10, T0)
CLOSED = DayWindow(date(2030, 1, 7), None, None, PUJA, (WINTER,), None, "closed")


def _read(app, language, function, *args):
    with app.test_request_context(), force_locale(language):
        return function(*args)


def test_everyday_pages_name_the_change_without_the_layering(app):
    assert _read(app, "en", day_reason, CLOSED) == "Family puja"
    assert _read(app, "en", day_layers, CLOSED) == "Family puja (50) beat Seasonal hours (10)"
    nepali = _read(app, "ne", day_layers, CLOSED)
    assert "(५०)" in nepali and "(१०)" in nepali and "beat" not in nepali
    assert "(" not in _read(app, "ne", day_reason, CLOSED)


def test_zones_read_in_the_pages_language(app):
    assert _read(app, "en", zone_name, "Asia/Kathmandu") == "Nepal Time"
    assert _read(app, "ne", zone_name, "Asia/Kathmandu") == "नेपाल समय"
    assert _read(app, "ne", zone_name, "Asia/Kolkata") == "भारत समय"
    assert _read(app, "en", zone_name, "Not/AZone") == "Not/AZone"
