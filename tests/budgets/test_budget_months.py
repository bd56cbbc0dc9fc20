"""Month boundaries of the budget in the stylist's zone (pure)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.budget_months import month_start, next_month_start, renewal_instant

UTC = timezone.utc
ZONES = ["Asia/Kathmandu", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC", "Europe/London"]


def test_kathmandu_boundary_is_1815_utc_the_day_before():
    ktm = ZoneInfo("Asia/Kathmandu")
    assert next_month_start(datetime(2030, 1, 31, 18, 14, tzinfo=UTC), ktm) == datetime(2030, 1, 31, 18, 15, tzinfo=UTC)
    assert next_month_start(datetime(2030, 1, 31, 18, 15, tzinfo=UTC), ktm) == datetime(2030, 2, 28, 18, 15, tzinfo=UTC)
    assert next_month_start(datetime(2030, 12, 20, tzinfo=UTC), ktm) == datetime(2031, 1, 1, tzinfo=ktm)


@settings(max_examples=60)
@given(instant=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)),
       zone=st.sampled_from(ZONES))
def test_boundaries_map_to_themselves_and_utc_midnight_to_the_local_first(instant, zone):
    tz = ZoneInfo(zone)
    boundary = next_month_start(instant, tz)
    assert boundary > instant and boundary.astimezone(tz).day == 1 and boundary.astimezone(tz).hour == 0
    assert boundary - instant <= timedelta(days=31, hours=1)
    assert renewal_instant(boundary, tz) == boundary
    local = boundary.astimezone(tz)
    utc_default = datetime(local.year, local.month, 1, tzinfo=UTC)  # SQLite's column default
    assert renewal_instant(utc_default, tz) == month_start(local.year, local.month, tz)
