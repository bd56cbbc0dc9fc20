"""Browser: a stylist signs in, spends one override, and the slot endpoint stops offering that day."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.web import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second"}


@pytest.fixture
def override_page(browser_page):
    return browser_page


def test_stylist_spends_one_override_and_the_day_leaves_the_public_slots(factory, override_page, screenshot):
    stylist = factory.stylist()
    factory.week(stylist)
    service = factory.service(duration=60, min_advance_hours=0, max_advance_days=30)
    factory.offer(stylist, service)
    day = datetime.now(ZoneInfo(stylist.timezone)).date() + timedelta(days=4)
    email = stylist.user.email
    page = override_page

    def public_slots(target):
        response = page.request.get("/api/bookings/available-slots", params={
            "stylistId": str(stylist.user_id), "serviceId": str(service.id), "targetDate": target.isoformat()})
        assert response.status == 200, response.text()
        return response.json()

    assert len(public_slots(day)) == 15

    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.goto("/budgets/mine")
    screenshot(page, "budget-before")
    assert page.inner_text("#budget-used") == "0 / 10"

    page.fill("#request-form input[name=day]", day.isoformat())
    page.check("#request-form input[name=kind][value=off]")
    page.click("#request-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "day off" in page.inner_text(".alert-success")
    screenshot(page, "budget-after")
    assert page.inner_text("#budget-used") == "1 / 10"
    assert page.get_attribute(f'#next-days [data-day="{day.isoformat()}"]', "data-verdict") == "closed"

    assert public_slots(day) == []
    assert len(public_slots(day + timedelta(days=1))) == 15
