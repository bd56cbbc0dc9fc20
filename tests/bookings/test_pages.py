"""The bookings pages: the closure form leads to the follow-up list, the day board says
who works and why not, the troubleshooter speaks in words and is linked from the
effective schedule and the day board."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, text

from portal.extensions import db
from portal.models import ScheduleOverride

from tests.bookings.helpers import at, salon
from tests.helpers import sign_in
from tests.web import post_form


def test_saving_a_closure_over_bookings_leads_to_the_follow_up_list(client, auth, factory):
    s = salon(factory)
    factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Sarita Adhikari", customer_phone="9841234567")
    sign_in(auth, s.admin.email)
    form = {"override_type": "business_closure", "stylist_id": "", "start_date": s.day.isoformat(),
            "end_date": s.day.isoformat(), "reason": "Dashain closure"}
    preview = post_form(client, "/schedules/overrides/new", form).get_data(as_text=True)
    assert "/bookings/follow-up" in preview
    stamp = re.search(r'name="previewed" type="hidden" value="([^"]+)"', preview).group(1)
    saved = post_form(client, "/schedules/overrides/new", {**form, "previewed": stamp})
    with client.application.app_context():
        closure = db.session.scalar(select(ScheduleOverride.id).where(ScheduleOverride.reason == "Dashain closure"))
    # the list filtered to this closure's own bookings
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/bookings/follow-up?cause={closure}")
    listed = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Sarita Adhikari" in listed and "9841234567" in listed and "Dashain closure" in listed
    home = client.get("/").get_data(as_text=True)
    assert 'id="followup-count"' in home and re.search(r'display-6 mb-1">1<', home)


def test_day_board_columns_and_who_is_not_working(client, auth, factory):
    s = salon(factory)
    third = factory.stylist(display_name="Chandra")  # no weekly hours: a day off
    factory.override(s.other, s.day, closed=True, override_type="stylist_vacation", priority=50,
                     reason="Family visit to Pokhara")
    factory.booking(s.stylist, s.cut, at(s.day, 14), customer_name="Puja Basnet")
    factory.booking(s.stylist, s.colour, at(s.day, 10), customer_name="Aayush Poudel")
    factory.booking(s.stylist, s.cut, at(s.day, 12), customer_name="Gone Away", status="cancelled")
    sign_in(auth, s.admin.email)
    page = client.get(f"/bookings/day?date={s.day.isoformat()}").get_data(as_text=True)
    working, off = page.split('id="not-working"')
    assert 'data-stylist="Anjali"' in working and "9:00 AM – 5:00 PM" in working
    assert working.index("Aayush") < working.index("Puja") and "Gone Away" not in page
    assert "Family visit to Pokhara" in off and 'data-stylist="Chandra"' in off and "Day off" in off
    assert "/bookings/why?" in working
    nav = client.get(f"/bookings/day?date={(s.day + timedelta(days=1)).isoformat()}").get_data(as_text=True)
    assert 'data-stylist="Bina"' in nav.split('id="not-working"')[0]
    bad = client.get("/bookings/day?date=0001-01-01")  # today's board, with the error
    assert bad.status_code == 400 and "Enter a date between" in bad.get_data(as_text=True)
    assert client.get("/bookings/day?date=not-a-date").status_code == 400
    assert third.display_name in client.get("/bookings/day").get_data(as_text=True)


def test_troubleshooter_words_and_links(client, auth, factory):
    s = salon(factory)
    factory.schedule(s.stylist, s.day.isoweekday() % 7, "09:00", "17:00", "13:00", "14:00",
                     effective_from=s.day)
    factory.override(None, s.day, start="10:00", end="16:00", override_type="seasonal_hours", priority=10,
                     reason="Winter hours")
    factory.booking(s.stylist, s.cut, at(s.day, 11))
    sign_in(auth, s.admin.email)
    page = client.get(f"/bookings/why?stylist={s.stylist.user_id}&service={s.cut.id}&date={s.day.isoformat()}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Outside the day&#39;s hours, set by Winter hours." in text and "(10)" not in text  # plain words
    assert "Overlaps the break 1:00 PM–2:00 PM" in text and "The appointment 11:00 AM–12:00 PM takes this time" in text
    assert 'data-verdict="available"' in text and "_" not in re.sub(r"<[^>]+>", "", text.split('id="why-slots"')[1])
    effective = client.get(f"/schedules/stylists/{s.stylist.user_id}/effective").get_data(as_text=True)
    assert f"/bookings/why?stylist={s.stylist.user_id}" in effective
    unknown = client.get(f"/bookings/why?stylist={s.stylist.user_id}&service={s.stylist.user_id}")
    assert unknown.status_code == 404


def test_troubleshooter_survives_a_zone_other_clients_wrote_and_far_dates(client, auth, factory, raw):
    s = salon(factory)
    sign_in(auth, s.admin.email)
    far = client.get(f"/bookings/why?stylist={s.stylist.user_id}&service={s.cut.id}&date=0001-01-01")
    assert far.status_code == 400 and "Enter a date between" in far.get_data(as_text=True)
    raw.execute(text("UPDATE stylist_profiles SET timezone = 'Mars/Olympus' WHERE user_id = :s"),
                {"s": str(s.stylist.user_id)})
    page = client.get(f"/bookings/why?stylist={s.stylist.user_id}&service={s.cut.id}&date={s.day.isoformat()}")
    assert page.status_code == 200 and "Mars/Olympus" in page.get_data(as_text=True)


def test_follow_up_and_day_board_survive_an_unknown_zone(client, auth, factory, raw):
    s = salon(factory)
    factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Sarita Adhikari")
    raw.execute(text("UPDATE stylist_profiles SET timezone = 'Mars/Olympus' WHERE user_id = :s"),
                {"s": str(s.stylist.user_id)})
    sign_in(auth, s.admin.email)
    listed = client.get("/bookings/follow-up")
    assert listed.status_code == 200 and "time zone is not valid" in listed.get_data(as_text=True)
    board = client.get(f"/bookings/day?date={s.day.isoformat()}")
    assert board.status_code == 200 and 'data-stylist="Bina"' in board.get_data(as_text=True)
    booking_id = re.search(r'data-booking="([^"]+)"', listed.get_data(as_text=True)).group(1)
    assert client.get(f"/bookings/{booking_id}").status_code == 200
    assert client.get(f"/bookings/stylists/{s.stylist.user_id}").status_code == 200
