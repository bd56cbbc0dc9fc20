"""Overrides change the public slots at once, seen through GET /api/bookings/available-slots."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import budget_row, field_errors, sign_in
from tests.web import post_form

URL = "/api/bookings/available-slots"


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second"}


@pytest.fixture
def salon(factory, app):
    service = factory.service(duration=60, min_advance_hours=0, max_advance_days=30)
    asha, bina = factory.stylist(display_name="Asha"), factory.stylist(display_name="Bina")
    for s in (asha, bina):
        factory.week(s)
        factory.offer(s, service)
    day = datetime.now(ZoneInfo("Asia/Kathmandu")).date() + timedelta(days=5)
    return {"service": service, "asha": asha, "bina": bina, "day": day, "public": app.test_client()}


def _count(salon, who, day=None):
    """How many slots the public endpoint offers (a separate, anonymous client)."""
    response = salon["public"].get(URL, query_string={
        "stylistId": str(salon[who].user_id), "serviceId": str(salon["service"].id),
        "targetDate": (day or salon["day"]).isoformat()})
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(response.json)


def test_a_closure_created_on_the_page_empties_the_day_for_every_stylist(client, auth, factory, salon):
    assert _count(salon, "asha") == 15 and _count(salon, "bina") == 15
    sign_in(auth, factory.user("admin").email)
    form = {"override_type": "business_closure", "stylist_id": "", "start_date": salon["day"].isoformat(),
            "end_date": salon["day"].isoformat(), "reason": "Tihar"}
    preview = post_form(client, "/schedules/overrides/new", form).get_data(as_text=True)
    assert _count(salon, "asha") == 15  # nothing saved by the preview
    stamp = re.search(r'name="previewed" type="hidden" value="([^"]+)"', preview).group(1)
    assert post_form(client, "/schedules/overrides/new", {**form, "previewed": stamp}).status_code == 302
    assert _count(salon, "asha") == 0 and _count(salon, "bina") == 0
    assert _count(salon, "asha", salon["day"] + timedelta(days=1)) == 15


def test_a_stylists_day_off_empties_only_theirs(client, auth, salon):
    sign_in(auth, salon["asha"].user.email)
    r = post_form(client, "/budgets/mine/requests", {"day": salon["day"].isoformat(), "kind": "off"})
    assert r.status_code == 302
    assert _count(salon, "asha") == 0 and _count(salon, "bina") == 15


def test_a_stylists_hours_replace_the_day_for_them_only(client, auth, salon):
    sign_in(auth, salon["bina"].user.email)
    r = post_form(client, "/budgets/mine/requests",
                  {"day": salon["day"].isoformat(), "kind": "hours", "start": "10:00", "end": "12:00"})
    assert r.status_code == 302
    assert _count(salon, "bina") == 3 and _count(salon, "asha") == 15


def test_a_stylist_cannot_open_a_day_closed_by_a_business_closure(client, auth, factory, salon, raw):
    factory.override(None, salon["day"], closed=True, priority=100, override_type="business_closure", reason="Tihar")
    sign_in(auth, salon["asha"].user.email)
    r = post_form(client, "/budgets/mine/requests",
                  {"day": salon["day"].isoformat(), "kind": "hours", "start": "10:00", "end": "12:00"})
    assert r.status_code == 400
    errors = field_errors(r.get_data(as_text=True), "day")
    assert errors and "The salon is closed on" in errors[0] and "Tihar" in errors[0] and "(100)" not in errors[0]
    assert _count(salon, "asha") == 0
    assert budget_row(raw, salon["asha"].user_id)["used"] == 0

