"""Overrides change the public slots at once (checked with the engine fed from the database)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.extensions import db
from tests.budgets.helpers import budget_row
from tests.schedules.html import field_errors, sign_in
from tests.schedules.slots import slots
from tests.web import post_form


@pytest.fixture
def salon(factory):
    service = factory.service(duration=60, min_advance_hours=0, max_advance_days=30)
    asha, bina = factory.stylist(display_name="Asha"), factory.stylist(display_name="Bina")
    for s in (asha, bina):
        factory.week(s)
        factory.offer(s, service)
    day = datetime.now(ZoneInfo("Asia/Kathmandu")).date() + timedelta(days=5)
    return {"service": service, "asha": asha, "bina": bina, "day": day}


def _count(salon, who, day=None):
    return len(slots(db.session, salon[who], salon["service"], day or salon["day"]))


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
    assert errors and "The salon is closed on" in errors[0] and "Tihar (100)" in errors[0]
    assert _count(salon, "asha") == 0
    assert budget_row(raw, salon["asha"].user_id)["used"] == 0

