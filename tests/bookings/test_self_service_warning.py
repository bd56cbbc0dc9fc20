"""A stylist is warned before spending an override that leaves their own bookings outside
their hours (bookings.md): nothing is spent until they confirm; confirmed, the booking
appears on the follow-up list."""
from __future__ import annotations

import re

from portal.extensions import db
from portal.services.appointments import followup
from tests.bookings.helpers import KTM, at, email_of, salon
from tests.helpers import budget_row, count, sign_in
from tests.web import post_form


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"|id="{name}" name="{name}" type="hidden" value="([^"]*)"', page)
    assert match, f"no hidden {name}"
    return match.group(1) or match.group(2)


def test_a_day_off_over_a_booking_is_not_spent_until_confirmed(app, client, auth, factory, raw):
    s = salon(factory, days_ahead=2)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Sarita Adhikari",
                              customer_phone="9841234567")
    sign_in(auth, email_of(raw, s.stylist.user_id))
    data = {"day": s.day.isoformat(), "kind": "off", "reason": "exam"}
    warned = post_form(client, "/budgets/mine/requests", data)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 200 and 'id="own-bookings-warning"' in page
    assert "10:00 AM" in page and "Sarita" in page and "9841234567" not in page
    assert budget_row(raw, s.stylist.user_id)["used"] == 0 and count(raw, "schedule_overrides") == 0

    stamp = _hidden(page, "bookings_confirmed")
    done = post_form(client, "/budgets/mine/requests", {**data, "bookings_confirmed": stamp})
    assert done.status_code == 302
    assert budget_row(raw, s.stylist.user_id)["used"] == 1 and count(raw, "schedule_overrides") == 1
    with app.app_context():
        hits = followup.followup_list(db.session, KTM)
    assert [h.booking.id for h in hits] == [booking.id]


def test_shorter_hours_that_keep_the_booking_inside_need_no_confirmation(client, auth, factory, raw):
    s = salon(factory, days_ahead=2)
    factory.booking(s.stylist, s.cut, at(s.day, 10))
    sign_in(auth, email_of(raw, s.stylist.user_id))
    inside = post_form(client, "/budgets/mine/requests",
                       {"day": s.day.isoformat(), "kind": "hours", "start": "09:00", "end": "12:00"})
    assert inside.status_code == 302 and budget_row(raw, s.stylist.user_id)["used"] == 1


def test_shorter_hours_over_a_booking_warn(client, auth, factory, raw):
    s = salon(factory, days_ahead=2)
    factory.booking(s.stylist, s.cut, at(s.day, 15))
    sign_in(auth, email_of(raw, s.stylist.user_id))
    warned = post_form(client, "/budgets/mine/requests",
                       {"day": s.day.isoformat(), "kind": "hours", "start": "09:00", "end": "12:00"})
    assert warned.status_code == 200 and "3:00 PM" in warned.get_data(as_text=True)
    assert budget_row(raw, s.stylist.user_id)["used"] == 0
