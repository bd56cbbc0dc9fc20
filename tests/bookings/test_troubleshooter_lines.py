"""The troubleshooter reads as lines a person scans (issue 25, point 10): consecutive
start times with the same verdict and reason are one line, and a stylist with no
weekly hours at all is told so, not that "salon-wide hours do not open a day off"."""
from __future__ import annotations

import re

from tests.bookings.helpers import at, salon
from tests.helpers import sign_in


def _why(client, s, stylist):
    page = client.get(f"/bookings/why?stylist={stylist.user_id}&service={s.cut.id}&date={s.day.isoformat()}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_a_closed_day_is_one_line_not_one_per_start_time(client, auth, factory):
    s = salon(factory)
    factory.schedule(s.stylist, s.day.isoweekday() % 7, "09:00", "17:00", effective_from=s.day)
    factory.override(None, s.day, closed=True, override_type="business_closure", priority=100,
                     reason="Family puja")
    sign_in(auth, s.admin.email)
    text = _why(client, s, s.stylist)
    slots = text.split('id="why-slots"')[1]
    assert len(re.findall(r"<li ", slots)) == 1
    counted = re.search(r'data-verdict="outside_hours"[^>]*data-slots="(\d+)"', slots)
    assert counted and int(counted.group(1)) > 1
    assert "start times)" in slots


def test_different_reasons_stay_apart_and_one_appointment_is_one_line(client, auth, factory):
    s = salon(factory)
    factory.schedule(s.stylist, s.day.isoweekday() % 7, "09:00", "17:00", "13:00", "14:00", effective_from=s.day)
    factory.booking(s.stylist, s.cut, at(s.day, 11))
    sign_in(auth, s.admin.email)
    slots = _why(client, s, s.stylist).split('id="why-slots"')[1]
    verdicts = re.findall(r'data-verdict="(\w+)"', slots)
    # no two neighbouring lines say the same thing; the appointment's slots are one "booked" line
    assert all(a != b for a, b in zip(verdicts, verdicts[1:]))
    assert verdicts.count("booked") == 1 and verdicts.count("break") == 1


def test_a_stylist_without_weekly_hours_is_told_so(client, auth, factory):
    s = salon(factory)
    factory.override(None, s.day, start="10:00", end="16:00", override_type="seasonal_hours", priority=10,
                     reason="Winter hours")
    newcomer = factory.stylist(display_name="Chandra")
    factory.offer(newcomer, s.cut)
    sign_in(auth, s.admin.email)
    text = _why(client, s, newcomer)
    assert "No weekly hours set yet for Chandra" in text
    assert "do not open a day off" not in text
    assert f"/schedules/stylists/{newcomer.user_id}/week" in text
