"""The public-holidays page: import creates exactly the ticked closures, logged; a second
import finds them covered and creates nothing; the public slots of those days empty at once."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from portal.domain.public_holidays import nepal_public_holidays
from tests.audit_trail import log_rows
from tests.web import post_form

URL = "/api/bookings/available-slots"


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second", "AVAILABILITY_CACHE_ENABLED": True}


def _upcoming():
    """(year, the year's holidays, indexes of the next two holidays at least two days ahead)."""
    today = datetime.now(ZoneInfo("Asia/Kathmandu")).date()
    for year in (today.year, today.year + 1):
        listed = nepal_public_holidays(year)
        ahead = [i for i, h in enumerate(listed) if h.day >= today + timedelta(days=2)]
        if len(ahead) >= 3:
            return year, listed, ahead[:3]
    pytest.skip("no upcoming holidays listed")


@pytest.fixture
def salon(factory, app):
    service = factory.service(duration=60, min_advance_hours=0, max_advance_days=400)
    stylist = factory.stylist(display_name="Asha")
    factory.week(stylist)
    factory.offer(stylist, service)
    return {"service": service, "stylist": stylist, "public": app.test_client()}


def _slots(salon, day):
    response = salon["public"].get(URL, query_string={
        "stylistId": str(salon["stylist"].user_id), "serviceId": str(salon["service"].id),
        "targetDate": day.isoformat()})
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(response.json), response.headers.get("X-Cache-Hit")


def _form(page: str, year_lines: int, ticks: dict[int, str]) -> dict:
    data = {"confirmed": ""}
    for i in range(year_lines):
        match = re.search(rf'name="lines-{i}-day"[^>]*value="([^"]*)"', page) or \
            re.search(rf'value="([^"]*)"[^>]*name="lines-{i}-day"', page)
        assert match, f"line {i} has no date field"
        data[f"lines-{i}-day"] = ticks.get(i, match.group(1))
        if i in ticks:
            data[f"lines-{i}-chosen"] = "y"
    return data


def _closures(raw):
    return raw.execute(text(
        "SELECT start_date, end_date, priority, reason, override_type, applies_to_all_stylists "
        "FROM schedule_overrides ORDER BY start_date")).all()


def test_import_creates_exactly_the_ticked_closures_once(app, client, auth, factory, salon, raw):
    year, listed, (a, b, untouched) = _upcoming()
    shifted = listed[b].day + timedelta(days=1)  # the government moved it by a day
    # slots are offered and cached on those days first
    for day in (listed[a].day, shifted, listed[untouched].day):
        assert _slots(salon, day)[0] == 15
        assert _slots(salon, day) == (15, "true")

    auth.login(factory.user("admin").email)
    page = client.get(f"/holidays/?year={year}").get_data(as_text=True)
    assert listed[a].name_en in page or listed[a].name_ne in page
    ticks = {a: listed[a].day.isoformat(), b: shifted.isoformat()}
    data = _form(page, len(listed), ticks)

    preview = post_form(client, f"/holidays/?year={year}", data)
    assert preview.status_code == 200 and 'id="holiday-preview"' in preview.get_data(as_text=True)
    assert _closures(raw) == []  # the check creates nothing
    stamp = re.search(r'name="confirmed" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    post_form(client, "/language", {"language": "ne", "next": "/"})  # the admin reads Nepali
    done = post_form(client, f"/holidays/?year={year}", {**data, "confirmed": stamp})
    assert done.status_code == 302
    assert "२ वटा बन्द थपिए" in client.get(done.headers["Location"]).get_data(as_text=True)  # Devanagari count

    rows = _closures(raw)
    assert [(str(r.start_date)[:10], str(r.end_date)[:10]) for r in rows] == [
        (listed[a].day.isoformat(),) * 2, (shifted.isoformat(),) * 2]
    assert all(r.priority == 100 and r.override_type == "business_closure" and bool(r.applies_to_all_stylists)
               for r in rows)
    assert [r.reason for r in rows] == [listed[a].closure_reason("ne"), listed[b].closure_reason("ne")]  # the page's language
    logged = log_rows(app, action="override_created")
    assert len(logged) == 2 and all(r["category"] == "configuration" for r in logged)
    assert all(r["details"]["source"] == "public_holidays" for r in logged)

    # slots vanish at once on the closed days; the untouched holiday keeps its slots
    assert _slots(salon, listed[a].day)[0] == 0 and _slots(salon, shifted)[0] == 0
    assert _slots(salon, listed[untouched].day)[0] == 15

    # again: both show as covered, and a repeated import creates nothing
    page = client.get(f"/holidays/?year={year}").get_data(as_text=True)
    for index in (a, b):
        line = page.split(f'id="holiday-{index}"', 1)[1].split("</li>", 1)[0]
        if index == a:
            assert 'class="badge text-bg-success text-wrap covered"' in line and f'name="lines-{index}-chosen"' not in line
    again = post_form(client, f"/holidays/?year={year}", _form(page, len(listed), {b: shifted.isoformat()}))
    assert again.status_code == 200  # the check page for b's shifted day, still uncovered in the list
    stamp = re.search(r'name="confirmed" type="hidden" value="([^"]+)"', again.get_data(as_text=True)).group(1)
    post_form(client, f"/holidays/?year={year}", {**_form(page, len(listed), {b: shifted.isoformat()}),
                                                   "confirmed": stamp})
    assert len(_closures(raw)) == 2 and len(log_rows(app, action="override_created")) == 2


def test_a_shift_beyond_a_week_is_refused_and_nothing_is_created(client, auth, factory, salon, raw):
    year, listed, (a, _, _) = _upcoming()
    auth.login(factory.user("admin").email)
    page = client.get(f"/holidays/?year={year}").get_data(as_text=True)
    far = (listed[a].day + timedelta(days=30)).isoformat()
    response = post_form(client, f"/holidays/?year={year}", _form(page, len(listed), {a: far}))
    assert response.status_code == 400 and "a week at most" in response.get_data(as_text=True)
    assert _closures(raw) == []


def test_nothing_ticked_is_a_clear_message(client, auth, factory, salon, raw):
    year, listed, _ = _upcoming()
    auth.login(factory.user("admin").email)
    page = client.get(f"/holidays/?year={year}").get_data(as_text=True)
    response = post_form(client, f"/holidays/?year={year}", _form(page, len(listed), {}))
    assert response.status_code == 400 and "Tick the holidays" in response.get_data(as_text=True)


def test_missing_years_and_festivals_are_said_plainly(client, auth, factory):
    auth.login(factory.user("admin").email)
    page = client.get("/holidays/?year=2026").get_data(as_text=True)
    assert 'class="alert alert-info festival-missing"' in page and "Haritalika Teej" in page
    assert 'id="lunar-missing"' not in page
    later = client.get("/holidays/?year=2036").get_data(as_text=True)
    assert 'id="lunar-missing"' in later and "Dashain" in later
    outside = client.get("/holidays/?year=1990").get_data(as_text=True)
    assert 'id="year-not-listed"' in outside and 'id="holiday-list"' not in outside
    assert client.get("/holidays/?year=abc").status_code == 200


def test_bookings_each_holiday_hits_are_shown(client, auth, factory, salon):
    year, listed, (a, _, _) = _upcoming()
    day = listed[a].day
    start = datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZoneInfo("Asia/Kathmandu"))
    factory.booking(salon["stylist"], salon["service"], start, customer_name="Sarita")
    auth.login(factory.user("admin").email)
    page = client.get(f"/holidays/?year={year}").get_data(as_text=True)
    line = page.split(f'id="holiday-{a}"', 1)[1].split("</li>", 1)[0]
    assert "1 booking on that day" in line
