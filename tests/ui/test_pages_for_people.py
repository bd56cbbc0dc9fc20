"""Issue 12's list: forms show only what applies, weekly hours say what replaces them and
which days are off, a stylist without hours is flagged, homes per role, formats."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.presentation.formats import (
    format_date, format_date_range, format_datetime, format_time, format_time_range,
)
from tests.helpers import set_budget

KTM = ZoneInfo("Asia/Kathmandu")


def test_the_formats_of_ui_md():
    assert format_date(date(2026, 12, 7)) == "Mon 7 Dec 2026"
    assert format_time(time(10)) == "10:00 AM" and format_time(time(0, 5)) == "12:05 AM"
    assert format_time(time(12, 30)) == "12:30 PM" and format_time(time(23, 59, 59)) == "11:59 PM"
    assert format_time_range(time(10), time(18)) == "10:00 AM – 6:00 PM"
    assert format_date_range(date(2026, 12, 7), date(2026, 12, 9)) == "7–9 Dec 2026"
    assert format_date_range(date(2026, 11, 30), date(2026, 12, 2)) == "30 Nov – 2 Dec 2026"
    assert format_date_range(date(2026, 12, 30), date(2027, 1, 2)) == "30 Dec 2026 – 2 Jan 2027"
    assert format_date_range(date(2026, 12, 7), None) == "from 7 Dec 2026"
    assert format_date_range(date(2026, 12, 7), date(2026, 12, 7)) == "Mon 7 Dec 2026"
    instant = datetime(2026, 12, 7, 4, 15, 59, tzinfo=ZoneInfo("UTC"))
    assert format_datetime(instant, "Asia/Kathmandu") == "Mon 7 Dec 2026, 10:00 AM"


@pytest.mark.parametrize("kind, title, shown, hidden", [
    ("business_closure", "New closure", [], ["stylist_id", "start", "end"]),
    ("stylist_vacation", "New vacation", ["stylist_id"], ["start", "end"]),
    ("seasonal_hours", "New seasonal hours", ["stylist_id", "start", "end"], []),
    ("special_event", "New special event", ["stylist_id", "start", "end"], []),
])
def test_a_schedule_change_form_shows_only_what_applies(client, admin, kind, title, shown, hidden):
    page = client.get(f"/schedules/overrides/new?kind={kind}").get_data(as_text=True)
    assert f"<h1 class=\"h3\">{title}</h1>" in page and "override" not in page.split("<h1")[1].split("</h1>")[0]
    for name in shown:
        assert f'name="{name}"' in page, name
    for name in hidden:
        assert f'name="{name}"' not in page, name


def test_the_day_off_request_hides_the_times_and_a_spent_budget_says_so(client, factory, auth, raw):
    profile = factory.stylist()
    factory.week(profile)
    auth.login(profile.user.email)
    page = client.get("/budgets/mine").get_data(as_text=True)
    assert 'class="row hours-only"' in page and 'id="request-form"' in page
    set_budget(raw, profile.user_id, used=10, limit=10, emergency=0)
    page = client.get("/budgets/mine").get_data(as_text=True)
    assert 'id="request-form"' not in page and 'id="no-changes-left"' in page
    assert "ask an admin" in page


def test_weekly_hours_list_days_off_and_what_replaces_them(client, admin, factory):
    profile = factory.stylist(user=factory.user("stylist", password=None))
    factory.week(profile, days=[1, 2, 3, 4, 5])
    today = datetime.now(KTM).date()
    factory.override(None, today, today + timedelta(days=20), override_type="seasonal_hours", start="10:00",
                     end="16:00", priority=10, reason="Winter hours")
    page = " ".join(client.get(f"/schedules/stylists/{profile.user_id}/week").get_data(as_text=True).split())
    assert "<strong>Days off:</strong> Sunday, Saturday" in page
    assert "Winter hours (seasonal hours," in page and "replaces these hours with 10:00 AM – 4:00 PM" in page


def test_a_stylist_without_hours_is_flagged_to_the_admin(client, admin, factory):
    profile = factory.stylist(display_name="New Nabin", user=factory.user("stylist", password=None))
    home = client.get("/").get_data(as_text=True)
    assert "Stylists without weekly hours" in home and re.search(r"Set New Nabin(’|&#39;|')s hours", home)
    week = client.get(f"/schedules/stylists/{profile.user_id}/week").get_data(as_text=True)
    assert 'id="no-hours"' in week
    factory.week(profile)
    assert "Stylists without weekly hours" not in client.get("/").get_data(as_text=True)


def test_home_pages_by_role(client, factory, auth):
    stylist = factory.stylist()
    factory.week(stylist)
    auth.login(stylist.user.email)
    home = client.get("/").get_data(as_text=True)
    assert 'id="budget-card"' in home and 'id="next-days"' in home and 'id="upcoming"' in home
    auth.logout()
    auth.login(factory.user("admin").email)
    home = client.get("/").get_data(as_text=True)
    for section in ("working-today", "bookings-today", "waiting-promotions", "closures"):
        assert f'id="{section}"' in home
    assert "cache-entries" not in home and "Invalidations" not in home
    assert 'id="cache-entries"' in client.get("/operations").get_data(as_text=True)
